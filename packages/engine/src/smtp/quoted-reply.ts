import { parseReply } from './reply-parser.js';
import type { SmtpReply } from './types.js';

// A reply as a bounce, a DSN, a mail log or a help page quotes it, read as the reply the server sent — what the reply
// corpus holds (corpus/README.md) and what a user holding bounces has. Most quotes are whole replies (`550 5.1.1 …`,
// one line per reply line). Others carry it inside a frame: a DSN's `smtp; 550 …`, Postfix's `host mx[…] said: 550 …
// (in reply to RCPT TO command)`, Exim's `SMTP error from remote mail server after RCPT TO:<…>: 550 …`, Exchange's
// `Remote Server returned '550 5.1.1 …'`; or a diagnostic without its reply code (`5.1.1 <x>: Recipient address
// rejected: User unknown`, Coremail's `user not known`). Those are read from the first reply code in the text when
// there is one; else with the class of a leading enhanced code (`5.1.1 …` → `550 5.1.1 …`, `4.2.2 …` → `450 4.2.2
// …`); else as `550`, since a bounce's diagnostic is a permanent failure. A quote cut after a continuation line
// (`552-…`) ends at that line. A Postfix access(5) action as a policy daemon's documentation writes it (postfwd's
// `REJECT limit of 200 exceeded`, `DEFER maintenance time …`) is read as the reply Postfix sends for it: `REJECT
// text` as `554 5.7.1 text` (access_map_reject_code), `DEFER text`, `DEFER_IF_PERMIT text` and `DEFER_IF_REJECT text`
// as `450 4.7.1 text` (access_map_defer_code) — a deferral is never a permanent refusal. Reply lines with different
// codes are a transcript: its last reply is read. The words are never changed; what the frame adds is left to the
// classifier, which reads only the server's own words (Postfix's "(in reply to RCPT TO command)" included). A quote
// taken from a quoted-printable body unread (soft breaks, `=20`) is read as the text it encodes.
const REPLY_LINE = /^\d{3}(?:[ -]|$)/;
// The reply may also open a quote or a bracket (Exchange's NDR: "Remote Server returned '550 5.1.1 …'"): read from its
// code, and the closing mark at the end is the quote's, not the server's.
const EMBEDDED_REPLY = /(?:^|[\s;:]|(['"(<[]))([45]\d\d[ -].*)$/s;
const CLOSER: Record<string, string> = { "'": "'", '"': '"', '(': ')', '<': '>', '[': ']' };
const LEADING_ENHANCED = /^#?([45])\.\d{1,3}\.\d{1,3}\b/;
const POSTFIX_ACTION = /^(REJECT|DEFER(?:_IF_PERMIT|_IF_REJECT)?)(?: +|$)/;
// A bounce's body is often quoted-printable (RFC 2045): lines over 76 characters end in a soft break, `=` before the
// line break, and bytes are written `=XX`. A quote taken from such a body unread ("User unk=\nnown", "550=205.1.1") is
// read as its text. Only when a soft break is there, or the quote has `=XX` escapes and no space at all (every space
// written `=20`): an SMTP reply line never ends in `=`, while `id=AB12` is a reply's own words.
const SOFT_BREAK = /=\n/g;
const QP_ESCAPES = /(?:=[0-9A-F]{2})+/g;
const UTF8 = new TextDecoder('utf-8', { fatal: true });

function quotedPrintableDecoded(text: string): string {
  if (!text.includes('=\n') && (text.includes(' ') || !text.includes('=20'))) return text;
  const unbroken = text.replace(SOFT_BREAK, '');
  try {
    return unbroken.replace(QP_ESCAPES, (escapes) =>
      UTF8.decode(Buffer.from(escapes.replaceAll('=', ''), 'hex')),
    );
  } catch {
    // Escapes that are no UTF-8: the soft breaks alone are taken out.
    return unbroken;
  }
}

/**
 * Reads one reply as a bounce, DSN, log or page quotes it (lines separated by LF or CRLF; a frame around it is
 * allowed) into the reply the server sent, for {@link classifyReply}. Throws `SmtpProtocolError` when what is read
 * is not a reply `parseReply` takes (a line over its limits, control characters).
 */
export function parseQuotedReply(quoted: string): SmtpReply {
  const text = quotedPrintableDecoded(quoted.replace(/\r\n/g, '\n')).replace(/\n+$/, '');
  const lines = text.split('\n');
  if (lines.every((line) => REPLY_LINE.test(line))) {
    const codes = new Set(lines.map((line) => line.slice(0, 3)));
    if (codes.size > 1) {
      // Several replies in a row (a transcript: the sender's 250, then the recipient's refusal): the last one is the
      // answer to the last command.
      const start = lines.findLastIndex(
        (line, index) => index === 0 || (lines[index - 1] ?? '').slice(0, 3) !== line.slice(0, 3),
      );
      return parseQuotedReply(lines.slice(start).join('\n'));
    }
    // One reply: a quote that stops at a continuation line ("552-Requested mail action aborted: …") ends there, and
    // one that writes every line with a space after the code (as bounce texts flatten a multi-line reply) is still
    // one reply, its lines continuation lines up to the last.
    const last = lines.length - 1;
    const continued = lines.map((line, index) => (index < last ? line.replace(/^(\d{3}) /, '$1-') : line));
    continued[last] = (continued[last] ?? '').replace(/^(\d{3})-/, '$1 ');
    return parseReply(`${continued.join('\r\n')}\r\n`);
  }
  const flat = lines.join(' ');
  const action = POSTFIX_ACTION.exec(flat);
  if (action) {
    const code = action[1] === 'REJECT' ? '554 5.7.1' : '450 4.7.1';
    return parseReply(`${code} ${flat.slice(action[0].length)}\r\n`);
  }
  const embedded = EMBEDDED_REPLY.exec(flat);
  // A quoted reply line is the reply (a continuation line cut from its reply ends it).
  if (embedded?.[2]) {
    const closer = embedded[1] ? CLOSER[embedded[1]] : undefined;
    const quoted =
      closer && embedded[2].trimEnd().endsWith(closer) ? embedded[2].trimEnd().slice(0, -1) : embedded[2];
    return parseReply(`${quoted.replace(/^(\d{3})-/, '$1 ')}\r\n`);
  }
  const enhanced = LEADING_ENHANCED.exec(flat);
  const code = enhanced ? `${enhanced[1]}50` : '550';
  return parseReply(`${code} ${flat.replace(/^#/, '')}\r\n`);
}
