import { ProberApiError } from './prober-api-error.js';

/** Reads a whole body, refusing more than `maxBytes` (a misbehaving server cannot exhaust memory). */
export async function readBoundedText(
  body: ReadableStream<Uint8Array> | null,
  maxBytes: number,
  status: number,
): Promise<string> {
  if (body === null) return '';
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let size = 0;
  let text = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return text + decoder.decode();
      size += value.byteLength;
      if (size > maxBytes) {
        throw new ProberApiError({
          code: 'invalid_response',
          status,
          message: `Response body is larger than ${maxBytes} bytes`,
        });
      }
      text += decoder.decode(value, { stream: true });
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
}

/**
 * Yields the non-empty lines of a streamed body as they arrive, holding at most one partial line
 * (bounded by `maxLineLength` characters) in memory. Cancels the body when the consumer stops early.
 */
export async function* readLines(
  body: ReadableStream<Uint8Array>,
  options: { maxLineLength: number; status: number; onChunk?: () => void },
): AsyncGenerator<string> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let pending = '';
  let finished = false;
  try {
    for (;;) {
      const { value, done } = await reader.read();
      options.onChunk?.();
      if (done) {
        finished = true;
        pending += decoder.decode();
        if (pending.trim() !== '') yield pending.replace(/\r$/, '');
        return;
      }
      pending += decoder.decode(value, { stream: true });
      let start = 0;
      let newline = pending.indexOf('\n');
      while (newline >= 0) {
        const line = pending.slice(start, newline).replace(/\r$/, '');
        start = newline + 1;
        if (line.trim() !== '') yield line;
        newline = pending.indexOf('\n', start);
      }
      pending = pending.slice(start);
      if (pending.length > options.maxLineLength) {
        throw new ProberApiError({
          code: 'invalid_response',
          status: options.status,
          message: `A line of the response is longer than ${options.maxLineLength} characters`,
        });
      }
    }
  } finally {
    if (!finished) await reader.cancel().catch(() => {});
    reader.releaseLock();
  }
}
