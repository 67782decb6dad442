// Package report defines the canonical record of an Open Government Information
// annual report (政府信息公开工作年度报告): the application table of section 三, the
// review and litigation table of section 四, the proactive-disclosure table of
// section 二, the report's metadata, and the consistency rules R1–R4 that the
// template itself prints.
//
// The record is the contract between the stages: the extractor produces it, the
// loader writes it to ClickHouse, the alerter reads its findings. It is encoded
// as JSON with a schema version (SchemaVersion); the canonical codes defined here
// are the names used in messages, Go code, ClickHouse columns and tests.
//
// Every cell carries a state as well as a value (see State): analysts must be able
// to tell a reported 0 from a cell left empty, from words written in a number
// cell, from a cell that was not found at all.
package report
