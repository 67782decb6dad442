// Package schedule decides when each site is crawled and publishes one crawl job
// per site and run into the CRAWL_JOBS work queue, from which any number of
// crawler workers take them.
//
// Schedules are cron specs (minute hour day-of-month month day-of-week, parsed by
// github.com/robfig/cron/v3) in which an H field — H, or H(a-b) for a range — is
// replaced by a number derived from the site's ID, as Jenkins does: every site gets
// its own time, so thousands of sites spread over the night instead of starting
// together. A site is due whenever any of the specs fires. The default crawls every
// night from January to March, when annual reports appear (they are due by 31
// January and 31 March), and once a week otherwise.
//
// Job runs are named by the site's scheduled time, so schedulers in several
// processes publish the same job and JetStream keeps one.
package schedule
