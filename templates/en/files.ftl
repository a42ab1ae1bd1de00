# Texts inside the files the bot makes itself: report workbooks, charts, poll and discussion
# results. A file is written in the language of whoever receives it.

## The period report (/report): sheets, columns, chart labels
report-sheet-summary = Summary
report-sheet-topics = Topics
report-sheet-departments = Departments
report-sheet-overdue = Overdue
report-col-indicator = Indicator
report-col-value = Value
report-col-previous = Previous period
report-row-received = Received
report-row-answered = Answered
report-row-closed = Closed
report-row-due = Due
report-row-overdue = Overdue
report-row-on-time-share = Share on time
report-row-median = Median time to answer, h
report-row-p90 = 90th percentile, h
report-row-ratings = Ratings
report-row-average = Average rating
report-row-low-share = Share of low ratings
report-row-reopened = Reopened
report-col-topic = Topic
report-col-appeals = Appeals
report-col-department = Department
report-col-on-time = On time
report-col-reopened = Reopened
report-col-completeness = Completeness
report-col-number = Number
report-col-due = Due
report-col-executor = Executor
report-col-place = Place
report-col-answered-at = Answered
report-chart-before = before
report-chart-period = period
report-chart-appeals = Appeals
report-chart-topics = Top topics
report-chart-no-topics = No appeals in the period

## Poll results: workbook and CSV
poll-file-summary = Summary
poll-file-answers = Answers
poll-file-respondent = Respondent
poll-file-completed = Completed
poll-file-question = Question
poll-file-option = Option
poll-file-count = Answers
poll-file-percent = %
poll-file-free-text = free answer

## Results of a public discussion: the table of comments
disc-file-sheet = Comments
disc-file-title = Public discussion No. { $number }: { $title }
disc-file-number = No.
disc-file-section = Section
disc-file-comment = Comment or proposal
disc-file-decision = Decision
disc-file-reason = Reason
disc-file-date = Date
disc-file-whole = as a whole
disc-file-decided = { $decision ->
        [accepted] accepted
        [partly] partly accepted
        [rejected] rejected
       *[none] no decision
    }

## What stands in place of a text erased by /forget (written in the bot's main language)
erased-marker = [erased at the citizen's request]
