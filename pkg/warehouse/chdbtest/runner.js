// Runs SQL statements in a chDB session (a current ClickHouse engine in process) for
// govreport's compatibility tests. Reads a job from standard input:
//   {"path": "<session directory>", "steps": [{"sql": "...", "format": "TSV"}, ...]}
// and writes {"version": "...", "results": [{"out": "...", "err": "..."}, ...]} to
// standard output: one result per step, err set when the statement failed. Every
// step runs, whatever the ones before it did.
"use strict";
const fs = require("fs");
const { Session } = require("chdb");

const job = JSON.parse(fs.readFileSync(0, "utf8"));
const session = new Session(job.path);
const run = (sql, format) => {
  try {
    return { out: session.query(sql, format || "TSV"), err: "" };
  } catch (e) {
    return { out: "", err: String((e && e.message) || e) };
  }
};
const version = run("SELECT version()", "TSV").out.trim();
const results = job.steps.map((s) => run(s.sql, s.format));
session.close();
process.stdout.write(JSON.stringify({ version, results }));
