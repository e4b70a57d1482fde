import { connect, type Socket } from 'node:net';
import { connect as connectTls, type TLSSocket } from 'node:tls';

export interface RawReply {
  code: number;
  lines: string[];
}

const DEFAULT_READ_TIMEOUT_MS = 5000;
const REPLY_LINE = /^(\d{3})([ -])(.*)$/;

/** A deliberately dumb SMTP client for testing the fake servers: raw writes, raw reads. */
export class RawSmtpClient {
  socket: Socket | TLSSocket;
  /** Every chunk received, as it arrived. */
  readonly chunks: Buffer[] = [];
  #buffer = '';
  #waiters: Array<() => void> = [];
  #closed = false;

  private constructor(socket: Socket) {
    this.socket = socket;
    this.#listen(socket);
  }

  static connect(host: string, port: number, localAddress?: string): Promise<RawSmtpClient> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host, port, ...(localAddress === undefined ? {} : { localAddress }) });
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.off('error', reject);
        resolve(new RawSmtpClient(socket));
      });
    });
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Everything received so far that no readReply consumed. */
  get unread(): string {
    return this.#buffer;
  }

  send(text: string): void {
    this.socket.write(text);
  }

  /** Send one command line and read its reply. */
  async command(line: string): Promise<RawReply> {
    this.send(`${line}\r\n`);
    return this.readReply();
  }

  /** Read one complete (possibly multi-line) reply. */
  async readReply(timeoutMs = DEFAULT_READ_TIMEOUT_MS): Promise<RawReply> {
    for (;;) {
      const reply = this.#takeReply();
      if (reply !== null) return reply;
      if (this.#closed) throw new Error(`connection closed; unread: ${JSON.stringify(this.#buffer)}`);
      await this.#waitForData(timeoutMs);
    }
  }

  /** Wait until at least `bytes` bytes are buffered (or the connection closes, or the timeout). */
  async waitForBytes(bytes: number, timeoutMs = DEFAULT_READ_TIMEOUT_MS): Promise<void> {
    while (this.#buffer.length < bytes && !this.#closed) await this.#waitForData(timeoutMs);
  }

  /** Resolves when the server closes the connection. */
  async waitForClose(timeoutMs = DEFAULT_READ_TIMEOUT_MS): Promise<void> {
    while (!this.#closed) await this.#waitForData(timeoutMs);
  }

  /** Upgrade to TLS after a 220 to STARTTLS (certificate not checked, like MTAs). */
  async startTls(): Promise<void> {
    const plain = this.socket as Socket;
    plain.removeAllListeners('data');
    plain.removeAllListeners('close');
    const secure = await new Promise<TLSSocket>((resolve, reject) => {
      const socket = connectTls({ socket: plain, rejectUnauthorized: false }, () => resolve(socket));
      socket.once('error', reject);
    });
    this.socket = secure;
    this.#listen(secure);
  }

  close(): void {
    this.socket.destroy();
  }

  #listen(socket: Socket): void {
    socket.on('data', (chunk: Buffer) => {
      this.chunks.push(chunk);
      this.#buffer += chunk.toString('latin1');
      this.#wake();
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      this.#closed = true;
      this.#wake();
    });
  }

  #wake(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const wake of waiters) wake();
  }

  #waitForData(timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no data within ${timeoutMs} ms`)), timeoutMs);
      this.#waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  #takeReply(): RawReply | null {
    const lines: string[] = [];
    let offset = 0;
    for (;;) {
      const end = this.#buffer.indexOf('\r\n', offset);
      if (end < 0) return null;
      const line = this.#buffer.slice(offset, end);
      offset = end + 2;
      const match = REPLY_LINE.exec(line);
      if (match === null) throw new Error(`not a reply line: ${JSON.stringify(line)}`);
      lines.push(match[3] ?? '');
      if (match[2] === ' ') {
        this.#buffer = this.#buffer.slice(offset);
        return { code: Number(match[1]), lines };
      }
    }
  }
}
