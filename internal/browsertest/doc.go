// Package browsertest opens pages in a real headless Chromium for tests:
// it finds the browser, records every request the page makes, measures
// elements and saves screenshots where CI keeps its artefacts.
//
// When no browser is installed the test is skipped, unless
// ARV_REQUIRE_BROWSER=1 (as in CI), which makes it a failure.
// Screenshots go to the directory named by ARV_ARTIFACTS, else to a
// temporary one.
package browsertest
