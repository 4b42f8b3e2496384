import type pg from 'pg';

/** The part of node-postgres' connection a COPY … FROM STDIN uses (the driver has no public COPY API). */
type CopyConnection = pg.Connection & {
  sendCopyFromChunk(chunk: Buffer): void;
  endCopyFrom(): void;
};

/**
 * `COPY … FROM STDIN` of one block of text, as a query object in node-postgres' Submittable protocol (what
 * pg-copy-streams does, without the dependency): the client hands it each message of the exchange. The data
 * follows the statement at once rather than after PostgreSQL's CopyInResponse, so that the server never waits
 * on this (busy) thread to answer; should the statement fail, PostgreSQL drops copy data it was not expecting.
 */
class CopyFromText implements pg.Submittable {
  readonly done: Promise<number>;
  #resolve: (rows: number) => void = () => undefined;
  #reject: (error: Error) => void = () => undefined;
  #rows = 0;

  constructor(
    private readonly statement: string,
    private readonly data: string,
  ) {
    this.done = new Promise((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
  }

  submit(connection: pg.Connection): void {
    const copying = connection as CopyConnection;
    copying.query(this.statement);
    copying.sendCopyFromChunk(Buffer.from(this.data));
    copying.endCopyFrom();
  }

  handleCommandComplete(message: { text: string }): void {
    this.#rows = Number(message.text.split(' ')[1]);
  }

  handleReadyForQuery(): void {
    this.#resolve(this.#rows);
  }

  handleError(error: Error): void {
    this.#reject(error);
  }

  // The other messages of the protocol, which a COPY FROM does not receive or need.
  handleCopyInResponse(): void {}
  handleRowDescription(): void {}
  handleDataRow(): void {}
  handleEmptyQuery(): void {}
  handlePortalSuspended(): void {}
  handleCopyData(): void {}
}

/** Runs `COPY … FROM STDIN` with `data` (COPY's text format) on `client`; resolves with the rows copied. */
export function copyFrom(client: pg.ClientBase, statement: string, data: string): Promise<number> {
  const copy = new CopyFromText(statement, data);
  client.query(copy);
  return copy.done;
}

const needsEscape = /[\\\t\n\r]/;
const escapes: Readonly<Record<string, string>> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** A text value as a field of COPY's text format (backslash, tab, newline and carriage return escaped). */
export function copyText(value: string): string {
  return needsEscape.test(value) ? value.replace(/[\\\t\n\r]/g, (character) => escapes[character]!) : value;
}
