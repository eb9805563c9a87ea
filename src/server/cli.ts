#!/usr/bin/env node
/// <reference types="node" />
// The `trtc-room-machine` command: usersig, kick, dismiss (see cli.run.ts, or run it with --help).
import { runCli } from './cli.run.js';

process.exitCode = await runCli(process.argv.slice(2), process.env, {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
});
