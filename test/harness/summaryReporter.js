/**
 * Prints one plain closing line, "N passed, N failed, N skipped", after Jest's own summary, so that
 * tools that read a run's last line (CI among them) can count the tests whatever the runner.
 */
class SummaryReporter {
	onRunComplete(_contexts, results) {
		const skipped = results.numPendingTests + results.numTodoTests;
		process.stderr.write(`\n${results.numPassedTests} passed, ${results.numFailedTests} failed, ${skipped} skipped\n`);
	}
}

module.exports = SummaryReporter;
