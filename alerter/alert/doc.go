// Package alert defines an alert — an anomalous filing worth a person's attention,
// with its evidence and sentences in Chinese and English — and the alerts that a
// single report's findings raise (R1–R4 and text in number cells). Cross-report
// rules, delivery and deduplication live in the packages that use it.
package alert
