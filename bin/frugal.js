#!/usr/bin/env node
import { main, processIo } from '../dist/cli/main.js';

main(process.argv.slice(2), processIo()).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`frugal: internal error: ${error?.stack ?? error}\n`);
    process.exitCode = 1;
  },
);
