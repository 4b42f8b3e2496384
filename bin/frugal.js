#!/usr/bin/env node
import { main, processIo } from '../dist/cli/main.js';

// `frugal runs | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on('error', (error) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(process.exitCode ?? 0);
});

main(process.argv.slice(2), processIo()).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`frugal: internal error: ${error?.stack ?? error}\n`);
    process.exitCode = 1;
  },
);
