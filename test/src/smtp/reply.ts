/** One SMTP reply as wire text: every line but the last uses 'code-', the last 'code ' (RFC 5321 §4.2.1). */
export function formatReply(code: number, lines: readonly string[]): string {
  const texts = lines.length === 0 ? [''] : lines;
  return texts.map((text, index) => `${code}${index === texts.length - 1 ? ' ' : '-'}${text}\r\n`).join('');
}

/** Raw reply text given by a test (lines separated by CRLF or LF) with canonical CRLF endings. */
export function rawReply(text: string): string {
  return `${text.split(/\r?\n/).join('\r\n')}\r\n`;
}
