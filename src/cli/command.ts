/** What a command may touch of the outside world; tests pass their own to run commands in-process. */
export type CommandIo = {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** True when stderr is a terminal: live progress lines are drawn only then. */
  readonly stderrIsTty?: boolean | undefined;
  /** Reads a file (path relative to `cwd`), or standard input for '-'. Throws UsageError naming the path. */
  readonly readText: (path: string) => Promise<string>;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Today's date as YYYY-MM-DD (UTC); injected so that tests are reproducible. */
  readonly today: () => string;
  /** The current time in epoch milliseconds; injected for the same reason. */
  readonly now: () => number;
};

/** One `frugal <name>` command: thin, it parses arguments, calls the library and prints. */
export type Command = {
  readonly name: string;
  readonly summary: string;
  /** Full help text, printed by `frugal <name> --help`. */
  readonly help: string;
  /** Returns the process exit code: 0 success, 2 bad input (a UsageError/ConfigError thrown also maps to 2). */
  readonly run: (args: readonly string[], io: CommandIo) => Promise<number>;
};
