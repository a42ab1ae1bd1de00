# Bot texts in English. One key per text. Parameters in { $braces } are filled in by the bot;
# markup: <b>, <i>, <code>. Keys and parameters must match those in ru/.

## Main menu and general answers

start =
    Hello!
    This is the administration's official bot for citizens' appeals.
    Here you can file an appeal, follow its status and receive the answer right in this chat.
    Appeals are considered under Federal Law 59-FZ: the answer comes within 30 days of registration.
fallback = I did not understand that. Choose an action from the menu or type /help.
unknown-command = There is no such command. Choose an action from the menu or type /help.
button-stale = This button is out of date or not available. Nothing was changed.
operators-only = This command is for operators only.
private-only = Appeals are filed and viewed only in a private chat with the bot: please write to it directly.
nothing-to-cancel = There is nothing to cancel.
cancelled = Cancelled.
error-internal = Sorry, something went wrong. Please try again a little later. Error code: { $code }.

## Buttons (at most 40 characters)

btn-new = 📝 File an appeal
btn-my = 📂 My appeals
btn-help = ❓ Help
btn-cancel = ✖ Cancel
btn-raw = { $label }
btn-skip = Skip
btn-done = ✔ Done
btn-send = ✔ Send
btn-edit = ✏ Edit
btn-back = ← Back
btn-edit-topic = Topic
btn-edit-text = Text
btn-edit-photos = Photos
btn-edit-location = Place
btn-appeal = No. { $number }
btn-take = Take
btn-answer = Answer

## Filing an appeal

appeal-ask-topic = <b>New appeal.</b> Step { $step } of { $steps }: choose a topic.
appeal-topic-use-buttons = Please choose a topic with the buttons below.
appeal-ask-text =
    Topic: { $topic }.
    Step { $step } of { $steps }: describe the problem in one message ({ $min } to { $max } characters). Say what happened and where.
appeal-text-expected = The appeal needs text. Please write it as a message.
appeal-text-too-short = Too short: { $length } of at least { $min } characters. Please describe the problem in more detail.
appeal-text-too-long = Too long: { $length } characters, the limit is { $max }. Please shorten the text and send it again.
appeal-ask-photos = Step { $step } of { $steps }: attach photos or documents (PDF, Word, Excel) if you like (up to { $max }). When finished press "Done", or "Skip".
appeal-photo-expected = Send a photo or a document, or press "Skip".
appeal-photo-added = File added ({ $count } of { $max }). Send more or press "Done".
appeal-photo-limit = The maximum number of files is attached: { $max }.
appeal-ask-location = Step { $step } of { $steps }: { $channel ->
        [tg] send a location (paperclip → "Location")
        [vk] send your location through the paperclip
        [max] send your location through the paperclip
        [console] send a location with /geo latitude longitude (for example /geo 55.75 37.61)
       *[other] send a location
    } or type an address. You may skip this.
appeal-location-expected = Send a location or type an address, or press "Skip".
appeal-address-too-long = The address is too long (limit { $max } characters). Please shorten it.
appeal-summary-title = <b>Check your appeal</b>
appeal-publish-off = 🌐 The public results page will show only the topic, status, dates, department and approximate place (a square of about a kilometre): not the text, not you.
appeal-publish-on = 🌐 The text will be published on the results page like this (no names, numbers or contacts): “{ $text }”
btn-publish-on = 🌐 Publish the text without personal data
btn-publish-off = 🌐 Do not publish the text
appeal-summary-question = Is everything right? Send the appeal?
appeal-confirm-use-buttons = Please choose an action with a button.
appeal-edit-what = What would you like to change?
appeal-cancelled = The appeal was not sent; the draft is deleted.
appeal-draft-pending = You have an appeal that has not been sent.
    Topic: { $topic }
    Text: { $text }
    Go on with it, or start a new one (this draft will be deleted)?
btn-draft-resume = Go on with this appeal
btn-draft-restart = 🗑 Start a new one
appeal-kept-aside = 📝 The appeal you began is not sent and is kept: go back to it with /new.
appeal-draft-incomplete = The draft is missing something. Let us fill it in again, starting with the topic.
appeal-registered =
    ✅ Your appeal is registered.
    Number: <b>{ $number }</b> of { $date }.
    You will get an answer no later than <b>{ $due }</b> (within { $days } { $days ->
        [one] day
       *[other] days
    } under 59-FZ). We will tell you here about every change of its status.

## Lines of an appeal card

line-topic = Topic: { $topic }
line-text = Text: { $text }
line-photos = Files: { $count }
line-address = Address: { $address }
line-coordinates = Location: { $lat }, { $lon }
line-no-place = Place: not given
line-published = 🌐 Published with the author's consent: “{ $text }”. To take it off the public page: /unpublish { $number }
line-channel = Channel: { $channel ->
        [tg] Telegram
        [vk] VK
        [max] MAX
       *[other] console
    }
line-answer = <b>Answer { $n } of { $date }:</b> { $answer }
line-rating = The citizen's rating: { $score } of 5 — { $reason }
line-rating-good = The citizen's rating: { $score } of 5
line-rating-comment = Comment: { $comment }

status-new = Registered
status-in-progress = In progress
status-answered = Answered
status-closed = Closed

## My appeals

my-empty = You have no appeals yet. File your first one with the button below or /new.
my-header = <b>Your appeals</b> ({ $shown } of { $total } shown). Press a number to open it.
appeal-line = { $urgent ->
        [yes] ⚡{" "}
       *[no] {""}
    }No. { $number } of { $date } · { $topic } · { $status } · due { $due }{ $overdue ->
        [yes] {" "}· overdue
       *[no] {""}
    }
appeal-card = <b>Appeal No. { $number }</b> of { $date }
    Status: { $status }
    Answer due: { $due }
history-title = <b>History:</b>
history-line = { $when } — { $action }
history-create = registered
history-take = taken into work
history-answer = answered
history-close = closed
history-unpublish = text taken off the public page

## Operators

staff-new-appeal =
    <b>New appeal No. { $number }</b>
    From: { $name } ({ $channel ->
        [tg] Telegram
        [vk] VK
        [max] MAX
       *[other] console
    }), { $date }
    Answer due: { $due }
queue-empty = There are no open appeals.
queue-header = <b>Open appeals</b>: { $shown } of { $total }, oldest first.
op-appeal-not-found = Appeal { $ref } was not found.
op-transition-refused = Appeal No. { $number } is "{ $status }": it cannot { $action } now. Nothing was changed.
action-create = be registered
action-take = be taken
action-answer = be answered
action-close = be closed
op-usage-take = Give the number: /take N
op-usage-reply = Give the number and the answer: /reply N text
op-usage-close = Give the number: /close N
op-usage-unpublish = Give the number: /unpublish N takes the published text of appeal N off the public page and Open311.
op-taken = You have taken appeal No. { $number }.
op-reply-prompt = Write the answer to appeal No. { $number } in one message (up to { $max } characters). /cancel to cancel.
op-reply-text-expected = The answer needs text. Write it as a message, or /cancel.
op-answer-too-long = The answer is too long: { $length } characters, the limit is { $max }.
op-answered = The answer to appeal No. { $number } was sent to the citizen.
op-closed = Appeal No. { $number } is closed.
op-unpublished = The text of appeal No. { $number } is off the public page and Open311 (the page follows within a few minutes). The author will be told.
op-unpublish-none = The text of appeal No. { $number } is not published: there is nothing to take off.

## Notifications to the citizen

citizen-appeal-taken = Your appeal No. { $number } has been taken into work.
citizen-answer = <b>Answer to your appeal No. { $number }</b>
citizen-answer-body = { $answer }
citizen-appeal-closed = Your appeal No. { $number } is closed. Thank you for writing to us.
citizen-unpublished = The text of your appeal No. { $number } has been taken off the public results page. The appeal itself is considered as before.

## Telegram command menu (at most 256 characters)

cmd-start = Main menu
cmd-new = File an appeal
cmd-my = My appeals
cmd-help = Help
cmd-cancel = Cancel the current action
cmd-queue = Queue of open appeals
cmd-take = Take an appeal: /take N
cmd-reply = Answer: /reply N text
cmd-close = Close an appeal: /close N

## Console

console-welcome =
    Console mode: you talk to the bot as a resident ({ $identity }).
    Buttons are numbered: type the number to press one.
    Roles: /as operator is an admin (every right), /as head a department's head,
    /as clerk a department's operator, /as officer the anti-corruption officer, /as citizen a resident again.
    /photo [caption] to attach a photo, /file name.pdf [caption] to attach a document,
    /geo LATITUDE LONGITUDE for a location, /quit to leave.
    Several lines as one message (a poll's options, an answer): a line """, the text, then """ again.
    The bot's log is written to { $log }.
console-web = The results page and Open311 in a browser: { $address }
console-empty = An empty line: nothing was sent. Type a text or a button's number; /help: what the bot can do, /quit: exit.
console-paste = Type the lines; end with a line """.
console-as = You are now: { $identity }.
console-unknown-identity = Unknown role. Available: { $known }.
console-to = ── message for { $identity } ──
console-geo-usage = Format: /geo 55.75 37.61
console-card = ── the appeal card (in a messenger it is updated in place) ──
console-bye = Goodbye.
console-qr = QR code saved: { $path }
console-file = File saved: { $path }

## Departments and roles

line-department = Responsible: { $department }
op-not-your-department = Appeal No. { $number } is handled by { $department }; it is not available to you. Nothing was changed.
op-usage-assign =
    Give the number and the department: /assign N department. Departments:
    { $departments }
op-unknown-department =
    There is no such department. Departments:
    { $departments }
op-assign-not-allowed = Appeal No. { $number } can be handed over by an admin or by the head of the department handling it.
op-assign-same = Appeal No. { $number } is already handled by { $department }.
op-assigned = Appeal No. { $number } is handed over to { $department }.
citizen-appeal-assigned = Your appeal No. { $number } has been handed over to { $department }.
op-usage-history = Give the number: /history N
history-header = <b>History of appeal No. { $number }</b>
history-staff-line = { $when } — { $action } — { $who }
history-staff-line-note = { $when } — { $action } — { $who } ({ $note })
history-assign = handed over to another department
action-assign = be handed over
admins-only = This command is for admins only.
staff-usage =
    Managing staff:
    /operator add tg:ID department [operator|head] — add to a department as operator or head
    /operator add tg:ID admin|anticorruption — admin or anti-corruption officer
    /operator remove tg:ID [department] — remove from a department or from every role
    /operators — the list
    A person is given as tg:ID, vk:ID or max:ID: the messenger and the number.
    Departments:
    { $departments }
staff-added = { $person }: { $role }.
staff-removed = { $person }: roles removed — { $count }.
staff-configured-admin = { $person } is an admin from the ADMINS setting; that role is changed in the configuration.
staff-header = <b>Staff</b>
staff-line = { $person } — { $role }
role-admin = admin
role-head = head: { $department }
role-operator = operator: { $department }
role-anticorruption = anti-corruption officer
role-configured = admin (ADMINS)
cmd-assign = Hand an appeal to another department
cmd-history = History of an appeal: /history N
cmd-opendata = Open data: aggregate figures
cmd-report = Report for a week, month or quarter
cmd-usage = How the bot is used

## Deadlines (59-FZ)

appeal-fast-track = ⚡ Your appeal will be considered on the fast track.
extend-usage = Format: /extend N days reason (at most { $max } days; the citizen is told the reason).
extend-too-long = The deadline can be extended by at most { $max } days.
extend-reason-too-long = The reason is too long (limit { $max } characters).
extend-not-allowed = The deadline of appeal No. { $number } can be extended by an admin or the department head.
extend-once = The deadline of appeal No. { $number } was already extended (now { $due }); 59-FZ allows one extension.
extend-done = The deadline of appeal No. { $number } is extended to { $due }; the citizen is told.
citizen-extended =
    The consideration of your appeal No. { $number } is extended to { $due } (59-FZ, art. 12 part 2).
    Reason: { $reason }
overdue-ping = ⏰ Appeal No. { $number } ({ $topic }, { $department }) is overdue: the answer was due { $due }.
overdue-summary = ⏰ { $count } appeals fell overdue at once: their answers were due. The oldest first:
overdue-summary-more = …and { $more } more. Every open appeal: /queue.
digest-header = <b>Deadlines on { $date }</b>: overdue — { $overdue }, due within { $days } days — { $soon }.
history-extend = deadline extended
history-overdue = deadline passed
action-extend = be extended
action-overdue = be marked overdue
cmd-extend = Extend a deadline: /extend N days reason

## Rating an answer

rate-ask = Please rate the answer: 1 — it did not help at all, 5 — the matter is solved.
rate-button = { $score }
rate-thanks = Thank you for your rating of { $score }! Appeal No. { $number } is closed.
rate-reopened = We are sorry the answer did not help. Appeal No. { $number } is reopened and the department head is told.
rate-ask-reason = What was wrong? Choose a reason or write in your own words.
rate-reason-not_solved = The problem is not solved
rate-reason-not_to_the_point = Not to the point
rate-reason-formal = A formal brush-off
rate-reason-late = The answer came too late
rate-reason-rude = Impolite tone
rate-no-reason = no reason given
rate-reason-thanks = Thank you, the reason is passed to the head. We will come back with an answer on appeal No. { $number }.
rate-refused = This answer on appeal No. { $number } can no longer be rated: it has a rating, or the appeal has moved on.
rate-reason-text-expected = Write the reason as text or choose it with a button.
rate-reason-too-long = Too long (limit { $max } characters).
escalation-low-rating = ⚠ Low rating ({ $score } of 5) of the answer on appeal No. { $number } ({ $department }). The appeal is reopened.
escalation-reason = Reason for the low rating ({ $score } of 5) on appeal No. { $number }: { $reason }
history-reopen = reopened after a low rating
action-reopen = be reopened
satisfaction-header = <b>Satisfaction with answers by department</b>
satisfaction-line = { $department }: average { $average }, ratings — { $count }, low (1–2) — { $low }
satisfaction-empty = There are no ratings yet.

## Clarification

ask-usage = Format: /ask N question to the citizen
ask-too-long = Too long (limit { $max } characters).
ask-sent = The question on appeal No. { $number } was sent to the citizen; status — "information needed".
citizen-question =
    We have a question about your appeal No. { $number }:
    { $question }
    Press "Answer the question" or just write your answer (photos welcome).
btn-reply-question = Answer the question
clarify-not-waiting = There is no question waiting for an answer on appeal No. { $number }.
clarify-finish-draft-first = Please finish or cancel the draft of your new appeal first (/cancel), then answer the question.
clarify-prompt = Write your answer to the question on appeal No. { $number } (you may attach photos).
clarify-expected = Text or a photo is needed. Please write your answer.
clarify-thanks = Thank you! Your answer is attached to appeal No. { $number } and the operator is told.
clarify-received = The citizen answered the question on appeal No. { $number } (photos: { $photos }):
    { $text }
status-needs-info = Information needed
history-ask = question sent to the citizen
history-clarify = the citizen answered the question
action-ask = get a question
action-clarify = take a reply
line-question = Question ({ $date }): { $text }
line-reply = The citizen's answer ({ $date }, photos: { $photos }): { $text }
cmd-ask = Ask the citizen a question: /ask N text

## Template replies

btn-template = Template: { $tpl }
btn-send-template = ✔ Send as it is
template-unknown =
    There is no template #{ $tpl }. For the topic “{ $topic }” these fit:
    { $fitting }
template-wrong-topic =
    Template #{ $tpl } does not fit the topic “{ $topic }”. These fit:
    { $fitting }
template-unknown-topic =
    Unknown topic. Topics:
    { $topics }
templates-empty = There are no templates.
templates-header = <b>Template replies</b>
templates-line = <b>{ $title }</b> — #{ $tpl } ({ $topics }): { $preview }
templates-any-topic = any topic
templates-usage = Answer from a template: /reply N #key [more text]. Add or change one: /template set #key topics [Title |] text
template-deleted = Template #{ $tpl } made in the bot is deleted (if the file has one of that key, it applies).
template-not-in-bot = There is no template #{ $tpl } made in the bot; templates from the file are changed in templates/replies.toml.
template-usage =
    /template set #key topics [Title |] text — add or change a template (topics separated by commas, or *; the title is on its button)
    /template delete #key — delete a template made in the bot
template-bad-key = A template key: latin letters, digits and "_", up to 32 characters.
template-invalid = The template is not saved: { $problems }. You may use: { $allowed }
template-saved = Template #{ $tpl } is saved.
template-preview = <b>Answer to appeal No. { $number } from template “{ $title }” (#{ $tpl }):</b>
template-preview-hint = Press "Send as it is" or write more: it will be added at the end. /cancel to cancel.
cmd-templates = Template replies

## Reports of corruption

btn-corruption = 🛡 Report corruption
ac-intro =
    <b>Reporting corruption.</b> Describe what happened: who, where, when (at least { $min } characters).
    Reports are anonymous by default: the anti-corruption officer sees neither your name nor your account.
ac-length = { $min } to { $max } characters are needed, now { $length }.
ac-ask-contact = Should the report stay anonymous, or may we contact you about it?
ac-choose = Please choose with a button.
btn-ac-anonymous = Send anonymously
btn-ac-contact = You may contact me
ac-cancelled = The report was not sent.
ac-registered-anonymous = The report is registered as AC-{ $number }. It is anonymous: we do not know who sent it, so we cannot answer.
ac-registered-contact = The report is registered as AC-{ $number }. The anti-corruption officer will contact you here.
ac-card = <b>Report of corruption AC-{ $number }</b> of { $date }
ac-card-anonymous = Author: anonymous
ac-card-contact = The author may be contacted: { $name } ({ $account })
ac-card-answer = Answer: { $answer }
anticorruption-only = This command is for the anti-corruption officer only.
ac-list-empty = There are no reports of corruption.
ac-reply-usage = Format: /ac_reply N text
ac-reply-anonymous = Report AC-{ $number } is anonymous: its author cannot be answered.
ac-reply-sent = The answer to report AC-{ $number } is sent.
ac-citizen-answer = <b>Answer to your report of corruption AC-{ $number }</b>
cmd-corruption = Report corruption

## Similar appeals and merging

similar-header = <b>Similar open appeals:</b>
similar-hint = If this is your problem, you may follow the appeal already filed instead of filing a new one: you will get all its news.
btn-follow = Follow No. { $number }
follow-closed = That appeal is closed already; please file yours.
follow-done = You will get the news of appeal No. { $number }. Your own appeal was not sent.
follower-news = <i>News of an appeal you follow:</i>
merge-usage = Format: /merge N M — merge appeal M (a duplicate) into appeal N.
merge-same = An appeal cannot be merged with itself.
merge-done = Appeal No. { $duplicate } is merged into No. { $main }; its author will get the news of No. { $main }.
citizen-merged = Your appeal No. { $duplicate } is merged with appeal No. { $main } on the same problem. The answer and all news of No. { $main } will come to you here.
history-merge = merged into another appeal
history-absorb = a duplicate was merged in
action-merge = be merged
action-absorb = take a duplicate in
cmd-merge = Merge duplicates: /merge N M

## Files

file-type-refused = This file is not accepted. You may attach a photo or a document: { $types } (up to { $max } MB).
file-too-large = The file is too large: up to { $max } MB.
op-files-not-delivered = The citizen writes from another messenger ({ $channel ->
        [tg] Telegram
        [vk] VK
        [max] MAX
       *[other] console
    }): the answer's text is sent, but the attachments ({ $count }) cannot reach them there.

## The live case card

card-title = <b>Appeal No. { $number }</b> · { $status }
card-due = Answer due: { $due }{ $extended ->
        [yes] {" "}(extended)
       *[no] {""}
    }
card-now-new = Waiting for an operator.
card-now-in-progress = Being considered.
card-now-needs-info = The operator needs your answer to a question.
card-now-answered = Answered. Please rate the answer.
card-now-closed = Consideration finished.
btn-card-open = Details

## Topics in the staff chat and the citizen's additions
# The forum topic's title (at most 128 characters, no markup).
thread-title = No. { $number } · { $topic } · { $status }
btn-add-to-appeal = Add to the appeal
clarify-add-prompt = Write what to add to appeal No. { $number } (you may attach a photo or a document).
clarify-add-thanks = Your addition is attached to appeal No. { $number }; the staff have been told.
clarify-add-closed = Appeal No. { $number } has already been considered and cannot be added to. If a question remains, file a new appeal.
clarify-add-received = The citizen added to appeal No. { $number } (files: { $photos }):
    { $text }
history-add = the citizen added to the appeal
action-add = add to the appeal
line-addition = The citizen's addition ({ $date }, files: { $photos }): { $text }

## FAQ, information, suggestions, language, accessibility
btn-faq = ❓ FAQ
btn-info = ℹ️ Information
btn-propose = 💡 Suggest an improvement
cmd-faq = Frequently asked questions
cmd-info = Contacts and procedure
cmd-propose = Suggest an improvement
cmd-lang = Язык / Language
cmd-access = Accessible mode
faq-categories = <b>Frequently asked questions.</b> Choose a section, or just type your question.
faq-category = <b>{ $category }</b>
faq-list-line = { $n }. { $question }
btn-faq-more = More questions
btn-faq-categories = ← All sections
btn-faq-back = ← { $category }
btn-faq-file = 📝 No answer? File an appeal
faq-answer =
    <b>{ $question }</b>
    { $answer }
faq-code = <i>The answer's code for /faq_set and /faq_delete: { $code }</i>
faq-rate-prompt = How useful is this answer? 1: useless, 5: very useful.
faq-rated = Thank you! Your rating: { $score }.
faq-rated-again = Rating changed: { $score }.
faq-found = The answer may already be here:
faq-found-hint = Press the question's number. If there is no answer, file an appeal.
faq-nothing-found = No ready answer was found. File an appeal (it is considered within 30 days) or choose an action from the menu.
voice-please-text = Sorry, the bot cannot recognise voice messages. Please write text.
deflect-title = Is this the answer to your question?
deflect-hint = Press a number to read the answer. If it did not help, continue the appeal: your text is kept.
btn-deflect-back = ← Back to the answers offered
btn-deflect-continue = No, continue the appeal
deflect-use-buttons = Choose an answer by its number or press "No, continue the appeal".
faqstats-title = <b>FAQ</b>: { $views } views, { $ratings } answers rated.
faqstats-popular = <b>Most viewed</b>
faqstats-lowest = <b>Lowest rated</b>
faqstats-unanswered = <b>Frequent questions without an answer</b>
faqstats-line = { $question }: { $views } views, rating { $average } ({ $count })
faqstats-unanswered-line = { $count } × { $text }
faqstats-none = —
faq-set-usage = Format: /faq_set code category ru|en Question? | Answer. The code: latin letters, digits, "_".
faq-unknown-category =
    There is no such section. Sections:
    { $categories }
faq-set-too-long = Too long: the question may have up to { $question } characters, the answer { $answer }.
faq-set-added = Answer "{ $code }" ({ $locale }) added; the search finds it at once.
faq-set-changed = Answer "{ $code }" ({ $locale }) changed.
faq-delete-usage = Format: /faq_delete code
faq-delete-none = Answer "{ $code }" was not added or changed in the bot. Answers from the file are edited in templates/faq.toml.
faq-made-in-bot =
    Added or changed in the bot:
    { $made }
faq-delete-file = The bot's changes to answer "{ $code }" are removed; the file's version applies.
faq-deleted = Answer "{ $code }" deleted.
faq-reload-failed =
    The files were not reloaded: they have an error. The previous content stays.
    { $error }
faq-reloaded = Files reloaded: { $entries } answers, { $categories } sections, { $sections } information sections.
info-title = <b>Information.</b> Choose a section:
info-section =
    <b>{ $title }</b>
    { $text }
btn-info-back = ← All sections
proposal-prompt = Write your suggestion: how to improve the bot, the website or the administration's openness (at least { $min } characters). /cancel to stop.
proposal-length = Between { $min } and { $max } characters are needed, now { $length }. Write again or /cancel.
proposal-thanks = Thank you! Suggestion No. { $number } has been passed to the staff; the answer will come here.
proposal-received =
    <b>Suggestion No. { $number }</b>
    { $text }
    Answer: /proposal_reply { $number } text
proposals-empty = No suggestions yet.
proposals-title = <b>Latest suggestions</b>
proposals-line = No. { $number } of { $date } { $answered ->
        [yes] (answered)
       *[no] (awaiting an answer)
    }: { $text }
proposal-reply-usage = Format: /proposal_reply N answer text
proposal-not-found = There is no suggestion No. { $number }.
proposal-already-answered = Suggestion No. { $number } has already been answered.
proposal-answered = The answer to suggestion No. { $number } has been sent.
proposal-answer =
    <b>Answer to your suggestion No. { $number }</b>
    { $text }
lang-choose = Выберите язык / Choose the language:
lang-set = Language: English.
access-on = Accessible mode is on: no emoji, and buttons are also listed with numbers; you can send the number. Turn off: /access.
access-off = Accessible mode is off.
access-choices = Options (send the number):
access-choice = { $n }. { $label }
deeplink-unknown = The link you followed leads nowhere: it may have a typo, or the section was removed. Here is the main menu.
pos-note = An appeal here is considered like any other, but a messenger does not prove who you are; if you need a formally registered appeal in your name (Federal Law 547-FZ), file it through Gosuslugi.
btn-pos = File through Gosuslugi
qr-usage =
    Format: /qr target. Targets: new (file an appeal), faq, info, faq-answer code (shown under an FAQ answer), and:
    { $targets }
qr-caption = Link and QR code for "{ $target }":
cmd-faqstats = FAQ statistics
cmd-proposals = Citizens' suggestions
cmd-qr = Link and QR code: /qr target

## Polls and surveys
cmd-polls = Polls
polls-none = There are no open polls for you right now. We will tell you when a new one starts.
polls-title = <b>Open polls</b>: press a number:
polls-line = { $n }. { $title }: { $questions } questions, until { $until }{ $progress ->
        [done] {" "}(answered)
        [started] {" "}(started)
       *[new] {""}
    }
btn-poll-take = 📊 Take the poll
poll-closed = The poll "{ $title }" is closed; answers are no longer accepted.
poll-not-for-you = This poll is for a different audience.
poll-try-again = Could not start the poll; press the button again.
poll-intro =
    <b>{ $title }</b>
    { $description }
    { $questions } questions. Answers are accepted until { $until }. { $anonymous ->
        [yes] The poll is anonymous: the results do not show who answered what.
       *[no] The poll is not anonymous: the organisers will see your name next to your answers.
    }
poll-resume = Continuing the poll "{ $title }" where you stopped.
btn-poll-change = ✏️ Change my answers
poll-already-done = You have already answered the poll "{ $title }". A second response is not accepted.
poll-already-done-change = You have already answered the poll "{ $title }". You can change your answers until it closes.
poll-question = <b>Question { $n } of { $total }</b>
    { $text }
poll-text-prompt = Write your answer in one message (at most { $max } characters).
poll-option-chosen = ✓ { $label }
btn-poll-done = Done ➡️
poll-multi-hint = Tick one or more options and press "Done".
poll-scale-hint = A score from 1 to { $top }.
poll-question-passed = That question is behind you. The current question:
poll-thanks = Thank you! Your answers to the poll "{ $title }" are recorded.{ $change ->
        [yes] { " " }You can change them via /polls until { $until }.
       *[no] {""}
    }{ $share ->
        [yes] { " " }The results will come here when the poll closes.
       *[no] {""}
    }
poll-choose-one = Tick at least one option.
poll-text-only = Please answer in text.
poll-text-too-long = The answer is too long: { $length } characters, at most { $max }. Please shorten it.
poll-announce =
    📊 <b>New poll: { $title }</b>
    { $description }
    { $questions } questions. Answers are accepted until { $until }.
poll-reminder = ⏰ The poll "{ $title }" closes { $until }. You have not answered yet; it takes a couple of minutes.
poll-results-header =
    <b>Results of poll No. { $number } "{ $title }"</b> ({ $status ->
        [closed] closed
       *[open] running
    })
    Answered: { $respondents } of { $audience } ({ $rate }%)
poll-results-question = {""}
    <b>{ $n }. { $text }</b> ({ $answered } answers)
poll-results-option = • { $option }: { $count } ({ $percent }%)
poll-results-mean = Average: { $mean }
poll-results-text = • "{ $text }"
poll-results-more = … and { $count } more in the file
poll-results-for-you = The poll "{ $title }" is closed. Thank you for taking part! The results:
poll-closed-staff = Poll No. { $number } is closed.
cmd-poll_new = New poll
cmd-poll_list = Polls: the list
cmd-poll_results = Poll results: /poll_results N
poll-usage = Format: /{ $command } N (the poll number)
poll-template-unknown =
    There is no template “{ $code }”. There are:
    { $known }
poll-new-title = A new poll. Send its title (up to { $max } characters), or choose a ready template. /cancel to cancel.
poll-new-question = Question { $n }: send the text of the question (up to { $max } characters).
poll-new-kind = What kind of question is it?
btn-kind-single = One option
btn-kind-multi = Several options
btn-kind-scale5 = Scale 1-5
btn-kind-scale10 = Scale 1-10
btn-kind-text = Free text
poll-new-options = Send the options, one per line: { $min } to { $max }, each at most { $length } characters.
poll-question-added = Question added ({ $count } in all).
btn-poll-more = ➕ Another question
btn-poll-finish = ✅ Done, to the settings
poll-use-buttons = Choose with a button.
poll-builder-text-only = Please send text.
poll-too-long = Too long: { $length } characters, at most { $max }.
poll-draft =
    <b>Draft poll No. { $number }: { $title }</b>
    Anonymous: { $anonymous ->
        [yes] yes
       *[no] no
    }
    Audience: { $audience_kind ->
        [all] everyone who uses the bot
        [groups] members of { $audience }
       *[other] those who wrote on "{ $audience }"
    }
    Answers may be changed: { $change ->
        [yes] yes
       *[no] no
    }
    Results to participants: { $share ->
        [yes] yes
       *[no] no
    }
    Opens: { $opens ->
        [now] on publishing
       *[other] { $opens }
    }
    Closes: { $closes }
poll-draft-question = { $n }. [{ $kind ->
        [single] one option
        [multi] several options
        [scale5] scale 1-5
        [scale10] scale 1-10
       *[text] free text
    }] { $text }
poll-draft-hint = The buttons change the settings. Times can be typed: "from 25.11.2026 10:00" or "until 01.12.2026 18:00".
btn-poll-anonymous = Anonymity
btn-poll-audience = Audience
audience-pick = For: { $audience_kind ->
        [all] everyone who uses the bot
        [subscribers] all subscribers (members of any group)
        [groups] members of the groups: { $audience }
       *[other] those who wrote on “{ $audience }”
    }. Tick groups (several are allowed), or choose everyone, or those who wrote on a topic.
btn-audience-all = { $on ->
        [yes] ✔{" "}
       *[no] {""}
    }{ $who ->
        [subscribers] All subscribers
       *[all] Everyone who uses the bot
    }
btn-audience-group = { $on ->
        [yes] ✔ Group: { $name }
       *[no] Group: { $name }
    }
btn-audience-topic = { $on ->
        [yes] ✔ Wrote on: { $name }
       *[no] Wrote on: { $name }
    }
btn-audience-more = More ({ $page } of { $pages }) →
btn-audience-card = ← Back to the draft
audience-wrote-on = those who wrote on “{ $topic }”
btn-poll-allow-change = Changing answers
btn-poll-share = Results to participants
btn-poll-days = Length: 1/3/7/14/30 days
btn-poll-publish = 🚀 Publish
btn-poll-delete = 🗑 Delete the draft
poll-deleted = Draft poll No. { $number } deleted.
poll-when-usage = I did not understand the time. Write "from DD.MM.YYYY HH:MM" (opening) or "until DD.MM.YYYY HH:MM" (closing).
poll-closes-too-early = The closing time has passed or is before the opening. Change the length.
poll-scheduled = Poll No. { $number } opens { $opens }; its audience is invited then.
poll-published = Poll No. { $number } is open. Invitations sent: { $told }. Results: /poll_results { $number }
poll-not-draft = Poll No. { $number } is not a draft; its settings no longer change.
poll-list-empty = No polls yet. Create one: /poll_new
poll-list-title = <b>Polls</b>
poll-list-line = No. { $number } { $title }: { $status ->
        [draft] draft
        [scheduled] scheduled
        [open] running
       *[closed] closed
    }, { $respondents } answered, closes { $closes }{ $status ->
        [draft] {""}; edit: /poll_edit { $number }
        [open] {""}; results: /poll_results { $number }, close: /poll_close { $number }
        [closed] {""}; results: /poll_results { $number }
       *[other] {""}
    }
poll-not-found = There is no poll No. { $number } (or it is a draft).
poll-not-open = Poll No. { $number } is not running.

## Public discussions
cmd-discussions = Public discussions
cmd-discussion_new = New public discussion
cmd-decide = Decide on a comment: /decide N accept|partly|reject reason
disc-new-title = A new public discussion. Send the title of the draft document (up to { $max } characters). /cancel to cancel.
disc-new-summary = Summarise the draft: what changes and for whom (up to { $max } characters).
disc-new-document = Send the draft as a document (a file) or a link https://…, or press "Skip".
disc-new-sections = List the sections of the draft people may comment on, one per line (up to { $max }, each up to { $length } characters), or press "Skip".
disc-draft =
    <b>Draft discussion No. { $number }: { $title }</b>
    Sections: { $sections }. Document: { $document ->
        [yes] attached
       *[no] none
    }
    Audience: { $audience_kind ->
        [all] everyone who uses the bot
        [groups] members of { $audience }
       *[other] those who wrote on "{ $audience }"
    }
    Opens: { $opens ->
        [now] right after publishing
       *[other] { $opens }
    }
    Comments accepted until: { $closes }
    Opening and end can be typed: "from 25.11.2026 10:00", "until 10.12.2026 18:00".
btn-disc-days = Length: 7/14/30 days
disc-scheduled = Discussion No. { $number } opens { $opens }: its audience will be invited then.
disc-deleted = Draft discussion No. { $number } deleted.
disc-published = Discussion No. { $number } is open. Invitations sent: { $told }. Comments: /comments { $number }
disc-announce =
    🗣 <b>Public discussion: { $title }</b>
    { $summary }
    Comments and proposals are accepted until { $until }.
btn-disc-open = Read and comment
disc-none = There are no open public discussions right now.
disc-list-title = <b>Public discussions</b>: press a number:
disc-line = { $n }. { $title }, until { $until }
disc-closed = The discussion "{ $title }" has ended; comments are no longer accepted.
disc-card =
    <b>Draft No. { $number }: { $title }</b>
    { $summary }
    Document: { $link }
    Comments are accepted until { $until }.
disc-card-sections = Sections: { $sections }
btn-disc-comment = 💬 Leave a comment
btn-disc-whole = On the draft as a whole
disc-choose-section = Which section is your comment about?
disc-comment-prompt = Write your comment or proposal{ $has_section ->
        [no] {""}
       *[yes] { " " }on the section "{ $section }"
    } in one message ({ $min } to { $max } characters).
disc-comment-length = A comment must be text of { $min } to { $max } characters (now { $length }).
disc-comment-thanks = Thank you! Comment No. { $number } is recorded. The decision on it will come here.
disc-comment-staff =
    Comment No. { $number } on discussion No. { $discussion } "{ $title }", section: { $section }
    { $text }
    Decide: /decide { $number } accept|partly|reject reason
disc-decide-usage = Format: /decide N accept|partly|reject reason (a reason is required for partly and reject).
disc-comment-not-found = There is no comment No. { $number }.
disc-not-found = There is no discussion No. { $number }.
disc-not-open = Discussion No. { $number } is not running: decisions and closing are not available.
disc-decided = The decision on comment No. { $number } is recorded: { $decision ->
        [accepted] accepted
        [partly] partly accepted
       *[rejected] rejected
    }.
disc-decision-for-you = A decision on your comment No. { $number } on the draft "{ $title }": { $decision ->
        [accepted] accepted
        [partly] partly accepted
       *[rejected] rejected
    }.{ $has_reason ->
        [no] {""}
       *[yes] { " " }Reason: { $reason }
    }
disc-comments-title = <b>Comments on discussion No. { $number }</b> ({ $count } in all):
disc-comment-line = No. { $number } [{ $section }] { $decision ->
        [accepted] accepted
        [partly] partly accepted
        [rejected] rejected
       *[none] undecided
    }: "{ $text }"{ $has_reason ->
        [no] {""}
       *[yes] { " " }: { $reason }
    }
disc-summary =
    <b>Summary of public discussion No. { $number } "{ $title }"</b>
    Period: { $opened } to { $closed }
    Comments and proposals: { $comments } from { $people } participants
    Accepted: { $accepted }, partly: { $partly }, rejected: { $rejected }, undecided: { $undecided }
disc-summary-section = Section "{ $section }": { $count } (accepted { $accepted }, partly { $partly }, rejected { $rejected })

## Reference groups

cmd-groups = Groups and mailings
groups-intro =
    <b>Reference groups</b>
    Group members receive the administration's mailings: invitations to public discussions, news, press releases. By joining a group you agree to receive its mailings; you can leave at any time, here or with the button under any mailing.
groups-line = { $n }. { $name }{ $code }{ $open ->
        [no] {" "}(by request)
       *[yes] {""}
    } — { $status ->
        [member] you are a member
        [pending] request under review
       *[none] not a member
    }
groups-mailings-off = You have turned all mailings off: none will come, even from groups you are in.
btn-mailings-on = Receive mailings again
mailings-on = Mailings are on: you will receive the mailings of the groups you are in.
group-unknown = There is no group "{ $code }".
btn-group-join = { $open ->
        [no] Request to join
       *[yes] Join and receive mailings
    }
btn-group-leave = { $status ->
        [pending] Withdraw the request
       *[member] Leave the group
    }
group-card =
    <b>{ $name }</b>
    { $description }
    <i>For:</i> { $who }
    { $open ->
        [no] Joining is by request: an operator reviews it.
       *[yes] Anyone may join.
    }
    { $status ->
        [member] You are a member.
        [pending] Your request is under review.
       *[none] By joining you agree to receive this group's mailings (Federal Law 152-FZ). You can opt out at any time.
    }
group-joined = You are in the group "{ $name }". Its mailings will come to this chat; leave with /groups or the button under a mailing.
group-requested = Your request to join "{ $name }" has been sent. We will tell you when an operator has reviewed it.
group-request-staff = A new request to join "{ $name }": { $who }.
btn-group-requests = Group requests
group-not-member = You are not in the group "{ $name }". Nothing was changed.
group-left = You have left the group "{ $name }". Its mailings will no longer come.
group-usage = { $missing ->
        [yes] Name the group
       *[other] There is no group “{ $code }”
    }. Format: /{ $command } code … Groups:
    { $groups }
group-archived = {" "}(archived)
group-new-usage = Format: /group_new code open|closed Name | Description | Who it is for. The code is Latin letters, digits and "_".
group-exists = A group with the code "{ $code }" already exists.
group-created = The group "{ $name }" ({ $code }) has been created.
group-set-usage = Format: /group_set code open|closed|archive|restore
group-changed = Group { $code }: { $what ->
        [open] anyone may join now
        [closed] joining is by request now
        [archive] archived
       *[restore] restored
    }.
group-members = <b>{ $name }</b>: { $members } members, { $pending } requests. The first { $shown }:
group-member-line = • { $who } — since { $since } ({ $consent ->
        [operator] added by an operator
       *[self] joined themselves
    })
group-add-usage = Format: /group_add code tg:ID vk:ID max:ID … — up to { $limit } people at once; a pasted list, one per line, works too.
group-added = Group "{ $name }": { $added } added, { $already } were already members.
group-remove-usage = Format: /group_remove code tg:ID vk:ID max:ID …
group-removed = Group "{ $name }": { $removed } removed.
group-requests-none = There are no requests to join.
group-request = A request to join "{ $name }": { $who }, { $since }.
btn-group-approve = ✔ Accept
btn-group-decline = ✖ Decline
group-request-gone = This request has already been reviewed or withdrawn. Nothing was changed.
group-decided = { $approved ->
        [yes] Request accepted
       *[no] Request declined
    }: { $who }.
group-request-answer = { $approved ->
        [yes] Your request to join "{ $name }" has been accepted. The group's mailings will come to this chat.
       *[no] Your request to join "{ $name }" has been declined. If this is a mistake, write to us with /propose.
    }

## Mailings

cmd-mailing_new = New mailing
cmd-group_requests = Requests to join groups
cmd-mailings = Mailings
mailing-usage = Format: /{ $command } N — the mailing's number from /mailings.
mailing-template-unknown =
    There is no template “{ $code }”. There are:
    { $known }
mailing-new =
    <b>New mailing</b>
    Send the text (up to { $max } characters). You may attach one photo or document with a caption — the caption becomes the text. Then: audience, links, time and preview. /cancel — cancel.
mailing-new-template = <b>Mailing from the template "{ $title }"</b>. The draft is below: copy it, fill it in and send it (up to { $max } characters). /cancel — cancel.
mailing-template-text = { $text }
mailing-one-file = A mailing may carry one photo or one document.
mailing-text-needed = Send the text of the mailing (up to { $max } characters); with a photo or document, as its caption.
mailing-too-long = Too long: { $length } characters, the limit is { $max }.
mailing-draft =
    <b>Draft mailing No. { $number }</b>
    To: { $audience ->
        [subscribers] all subscribers (members of any group)
        [all] every user of the bot
       *[other] { $audience }
    }
    "Coming / Can't come" buttons: { $rsvp ->
        [yes] yes
       *[no] no
    }
    Links: { $links }
    File: { $file ->
        [none] none
        [tg] yes (seen by recipients on Telegram)
        [vk] yes (seen by recipients on VK)
        [max] yes (seen by recipients on MAX)
       *[other] yes
    }
    When: { $when ->
        [now] right after sending
       *[other] { $when }
    }
    Repeat: { $repeat ->
        [day] every day
        [week] every week
        [month] every month
       *[none] no
    }
mailing-max-reach = On MAX it reaches { $reached }{ $left_out ->
        [0] .
       *[other] , leaves out { $left_out }: { $why ->
            [off] MAX mailings are switched off by the MAX_MAILINGS setting.
           *[consent] MAX's rules allow mailings only to people who agreed to them by joining a reference group (/groups).
        }
    }
mailing-draft-hint = To add a link, send "Label | https://…" (up to { $max }). To set a time, send "25.11.2026 10:00"; to clear it, "now". "Preview" shows the mailing as recipients will see it.
mailing-paid = Telegram paid broadcast (up to 1,000 messages a second, 0.1 ⭐ a message): { $on ->
        [yes] yes
       *[no] no
    }. Recipients on Telegram: { $recipients }, cost: { $stars } ⭐. Cap per mailing: { $mailing_cap } ⭐, left this month: { $month_left } ⭐.{ $over ->
        [mailing] {" "}This mailing cannot go paid: it costs more than the cap per mailing.
        [month] {" "}This mailing cannot go paid: the month's budget does not cover it.
       *[none] {""}
    }
mailing-paid-off = Paid broadcasts are not enabled in this deployment (TELEGRAM_PAID_BROADCAST).
mailing-paid-over = Mailing No. { $number } was not sent: paid, it would cost { $stars } ⭐, and { $over ->
        [mailing] the cap per mailing is { $mailing_cap } ⭐
       *[month] { $month_left } ⭐ are left of this month's budget
    }. Turn "Paid" off on the card (it then goes at the free rate) or pick a smaller audience.
mailing-paid-dropped = Mailing No. { $number } goes at the free rate, not paid: { $over ->
        [mailing] { $stars } ⭐ is more than the cap per mailing.
        [month] the month's budget does not cover { $stars } ⭐.
       *[off] paid broadcasts are switched off in the settings.
    }
btn-mailing-paid = { $on ->
        [yes] ✔ ⚡ Paid, fast
       *[no] ⚡ Paid, fast
    }
btn-mailing-audience = 👥 Audience
btn-mailing-rsvp = { $on ->
        [yes] ✔ Coming / Can't come
       *[no] Coming / Can't come
    }
btn-mailing-repeat = 🔁 Repeat
btn-mailing-preview = 👁 Preview
btn-mailing-send = { $later ->
        [yes] ✔ Schedule
       *[no] ✔ Send
    }
btn-mailing-delete = 🗑 Delete the draft
btn-mailing-unlink = Remove the links
mailing-links-full = There are already { $max } links — no room for more.
mailing-card-usage = I did not understand. Send a link "Label | https://…" (up to { $max }), a time "25.11.2026 10:00" or "now" — or press a button on the card.
mailing-time-past = That time has passed. Give a future time or "now".
mailing-deleted = Draft mailing No. { $number } has been deleted.
mailing-scheduled = Mailing No. { $number } is scheduled for { $when }{ $repeat ->
        [day] , then every day
        [week] , then every week
        [month] , then every month
       *[none] {""}
    }. /mailings — the list, /mailing_cancel { $number } — cancel.
mailing-started = Mailing No. { $number }: { $total } recipients. { $total ->
        [0] There is nobody to send it to.
       *[other] Sending has started; progress is shown below.
    }
mailing-missed = Mailing No. { $number } for { $when } was not sent: the bot was down, and too much time has passed since. It will not be sent for that time.
mailing-late = Mailing No. { $number } for { $when } is being sent late: the bot was down at the time set.
mailing-unknown = There is no mailing No. { $number }.
mailing-cannot = Mailing No. { $number } cannot be { $action ->
        [pause] paused
        [resume] resumed
       *[cancel] cancelled
    }: it is { $status ->
        [sending] being sent
        [scheduled] scheduled
        [paused] paused
        [done] already sent
        [cancelled] cancelled
       *[missed] missed
    }. Nothing was changed.
mailing-controlled = Mailing No. { $number } { $action ->
        [pause] is paused. /mailing_resume { $number } — go on.
        [resume] is resumed.
       *[cancel] is cancelled. What was sent cannot be recalled.
    }
mailings-none = There have been no mailings yet.
mailings-header = <b>Mailings</b> (latest):
mailings-line = No. { $number } · { $status ->
        [sending] sending
        [scheduled] scheduled
        [paused] paused
        [done] sent
        [cancelled] cancelled
       *[missed] missed
    } · { $when }{ $repeat ->
        [day] {" "}· every day
        [week] {" "}· every week
        [month] {" "}· every month
       *[none] {""}
    } · { $audience ->
        [subscribers] all subscribers
        [all] every user
       *[other] { $audience }
    }
    { $text }
    Delivered { $sent } of { $total }, unreachable { $blocked }, errors { $failed }{ $rsvp ->
        [yes] ; coming { $coming }, can't come { $declined }
       *[no] {""}
    }
mailings-stopped = You have turned all mailings off. To turn them on again — /groups.
mailing-preview-button = This is a preview: for recipients the button will work.
mailing-left = { $count ->
        [0] You are no longer in the groups of this mailing.
       *[other] You have left: { $groups }. Their mailings will no longer come.
    } To receive no mailings at all, press the button below.
mailing-rsvp-thanks = Thank you! Noted: { $coming ->
        [yes] you are coming.
       *[no] you cannot come.
    } If you change your mind, press the other button.
mailing-text = { $text }
mailing-footer = { $count ->
        [0] <i>A mailing of the administration.</i>
       *[other] <i>A mailing for the members of { $groups }.</i>
    }
btn-rsvp-yes = ✔ Coming
btn-rsvp-no = ✖ Can't come
btn-mailing-leave = Leave the group
btn-mailings-stop = No more mailings
btn-mailing-pause = ⏸ Pause
btn-mailing-cancel = ✖ Cancel
mailing-progress = <b>Mailing No. { $number }</b>{ $final ->
        [yes] {" "}— finished
       *[no] {""}
    }
    Sent { $sent } of { $total }; unreachable { $blocked }, errors { $failed }, unsubscribed { $skipped }.
    { $final ->
        [yes] Done.
       *[no] { $rate } a second, about { $left } s left.
    }
mailing-summary =
    <b>Mailing No. { $number }: the results</b>
    Recipients: { $total }. Delivered: { $sent }. Unreachable (blocked the bot): { $blocked }. Errors: { $failed }. Unsubscribed during the mailing: { $skipped }.{ $rsvp ->
        [yes] {" "}Answers to the invitation: coming { $coming }, can't come { $declined }; new answers are in /mailings.
       *[no] {""}
    }{ $paid ->
        [yes] {" "}Paid broadcast: { $stars } ⭐ spent.
       *[no] {""}
    }

## Reports

report-header = <b>Report for the { $kind ->
        [week] week
        [month] month
       *[quarter] quarter
    } { $start } — { $end }{ $sofar ->
        [yes] {" "}(under way, up to now)
       *[no] {""}
    }</b>{ $scope ->
        [all] {""}
       *[one] {" "}· { $department }
    }
report-no-data = Nothing to report for this period: no appeals came in, no deadlines fell due, no ratings were given (the previous period received { $before }).{ $sofar ->
        [yes] {""}
       *[no] {" "}The period under way: /report { $kind } now.
    }
report-speed-none = No answers in the period, so no time to answer.
report-volume = Received: { $received } (previous period { $received_before }), first answer given: { $answered }, closed: { $closed }, reopened: { $reopened }
report-deadlines = Deadline passed for { $due }, of them overdue { $overdue }; on time: { $on_time }
report-speed = Time to answer: median { $median } h, 90% within { $p90 } h
report-satisfaction = Ratings: { $ratings }, average { $average }, low (1–2): { $low }
report-topics-header = <b>Top problems</b>
report-topic = { $n }. { $topic }: { $count } { $trend ->
        [up] ↑ (was { $before })
        [down] ↓ (was { $before })
        [new] (new)
       *[same] (was { $before })
    }
report-departments-header = <b>Departments</b> (received · answered · on time · median, h · rating · completeness)
report-department = { $department }: { $received } · { $answered } · { $on_time } · { $median } · { $average } · { $complete }
report-overdue-header = <b>Overdue: { $count }</b>
report-overdue = No. { $number }, due { $due }, { $department }, { $topic }, executor: { $executor }, place: { $place }
report-usage = Usage: /report week|month|quarter [department] [now] — for the last finished week, month or quarter; with now, for the one under way, up to this moment.
report-unknown-department =
    There is no department “{ $department }”. Departments:
    { $departments }
report-not-allowed = Reports are for admins and department heads.
report-not-your-department = You can see the reports of your own department only.

## Bot usage

usage-header = <b>Bot usage from { $start } to { $end }</b>
usage-empty = Nobody used the bot in these days.
usage-channel = <b>{ $channel ->
        [tg] Telegram
        [vk] VK
        [max] MAX
       *[console] Console
    }</b>: commands and presses — { $total }
usage-command = { $name ->
        [unknown] unknown commands
       *[other] /{ $name }
    } — { $count }
usage-section = { $section ->
        [appeal] appeals
        [my] my appeals
        [rating] answer ratings
        [clarify] clarifications
        [faq] FAQ
        [info] information
        [language] language
        [corruption] corruption reports
        [polls] polls
        [discussions] discussions
        [groups] reference groups
        [mailing] mailings
        [proposal] proposals
        [help] help
        [mydata] my data
        [staff] staff work
        [stale] stale or foreign buttons
       *[other] { $section }
    } — { $count }
usage-funnel = <b>{ $flow ->
        [appeal] Appeal
        [proposal] Proposal
       *[corruption] Corruption report
    }</b>, how many reached each step:
usage-step = · { $step ->
        [topic] topic
        [text] text
        [photos] photos
        [location] place
        [confirm] check
        [contact] contacts
       *[done] sent
    }: { $count } ({ $share }%)
usage-usage = Usage: /usage week|month — for the last 7 or 30 days.
usage-not-allowed = Usage statistics are for admins.

## Open data

opendata-header = <b>Open data as of { $date }</b>
    Aggregate figures with no personal data, CSV (UTF-8) and JSON with the sets' passports, are in the archive.
opendata-set = · { $title }: { $rows } rows

## Personal data

mydata-member-member = member
mydata-member-pending = request awaiting approval
mydata-summary = <b>What the bot keeps about you</b>
    Name: { $name }, since { $since }
    Appeals: { $appeals }, proposals: { $proposals }, discussion comments: { $comments }, poll responses: { $polls }, reference groups: { $groups }
    All of it is in the file. To delete it: /forget
    Questions the FAQ had no answer to are kept only as a set of words, with no numbers or names, and not linked to you.
    Public (the results page, Open311): only the topic, status, dates, department and approximate place of your appeals; their text only if you agreed, without names, numbers or contacts.
forget-confirm = Delete your personal data? Your name, the texts of your appeals, addresses, photos, proposals, comments and reference-group memberships will be erased for good; only anonymous figures stay in the statistics. The bot will no longer be able to write to you about those appeals.
btn-forget-yes = Delete my data
btn-forget-no = Keep it
forget-kept = All right, nothing was deleted.
forget-done = Your personal data has been deleted. If you write again, the bot will meet you as someone new.
forget-pending = Your appeals must be answered first: No. { $numbers } — the law (59-ФЗ) obliges the administration to consider them. Once they are answered you can delete your data with /forget.
history-access-header = <b>Staff access to the appeal</b>
history-access-line = { $when } — { $who }, { $via }
cmd-mydata = What data of mine is kept
cmd-forget = Delete my data
flood-notice = You are sending messages too fast. Please wait a little: the last messages were not handled; send them again in a minute.

## Delivery through the outbox: what operators are told once a message reached (or could not)
op-answer-undelivered = ⚠️ The answer to appeal No. { $number } could not be delivered to the citizen: { $reason }. It is kept with the appeal; reach the citizen another way (/history { $number }).
op-answer-delayed = The answer to appeal No. { $number } is not delivered yet ({ $reason }). The bot keeps trying and will tell you when the citizen has it.
ask-undelivered = ⚠️ The question on appeal No. { $number } could not be delivered to the citizen: { $reason }.
proposal-undelivered = ⚠️ The answer to suggestion No. { $number } could not be delivered: { $reason }.
ac-reply-undelivered = ⚠️ The answer to report AC-{ $number } could not be delivered: { $reason }.
message-delayed = The message is not delivered yet ({ $reason }). The bot keeps trying and will tell you how it went.
history-undelivered = message not delivered: { $reason }
undelivered-reason = { $reason ->
    [blocked] the person blocked the bot or does not allow its messages
    [gone] the chat was not found
    [timeout] the messenger did not accept it for { $detail } h
    [unavailable] the messenger is unavailable for now
    [busy] the messenger asks to wait: too many messages
   *[other] the messenger refused: { $detail }
}

## Help (/help): a title per role and a line per command of the registry (handlers/registry.py)

help-title-everyone = <b>What the bot can do</b>
help-title-operators = <b>Operator commands</b>
help-title-heads = <b>For heads of departments</b>
help-title-admins = <b>Admin commands</b>
help-title-officers = <b>Anti-corruption</b>
help-part-operators = <i>Appeals</i>
help-part-faq = <i>FAQ</i>
help-part-proposals = <i>Citizens' proposals</i>
help-part-deeplinks = <i>Links and QR codes</i>
help-part-poll_builder = <i>Polls</i>
help-part-discussions = <i>Public discussions</i>
help-part-mailings = <i>Mailings</i>
help-part-groups = <i>Reference groups</i>
help-part-usage = <i>Use of the bot</i>
help-part-staff = <i>Staff</i>
help-part-ratings = <i>Satisfaction</i>
about-start = /start — the main menu
about-new = /new — file an appeal
about-my = /my — my appeals and their status
about-queue = /queue — open appeals, oldest first
about-take = /take N — take appeal N
about-reply = /reply N text — answer appeal N; /reply N #key [more text] — answer from a template
about-templates = /templates [topic] — the answer templates
about-ask = /ask N question — ask the citizen a question
about-close = /close N — close appeal N after the answer
about-unpublish = /unpublish N — take an appeal's published text off the public page
about-assign = /assign N department — hand appeal N to another department
about-merge = /merge N M — merge duplicate M into appeal N
about-history = /history N — the full history of appeal N
about-extend = /extend N days reason — extend the deadline (once, up to 30 days)
about-template = /template set #key topics [Title |] text — add or change a template; /template delete #key — delete it
about-faq = /faq — frequently asked questions; or just type your question in your own words
about-faqstats = /faqstats — FAQ views and usefulness, questions without an answer
about-faq_set = /faq_set code category ru|en Question | Answer — add or change an FAQ answer
about-faq_delete = /faq_delete code — delete an FAQ answer
about-faq_reload = /faq_reload — read the FAQ files again
about-info = /info — contacts, reception hours, reference phone, how appeals are considered
about-propose = /propose — suggest an improvement
about-proposals = /proposals — citizens' suggestions
about-proposal_reply = /proposal_reply N text — answer a suggestion
about-qr = /qr target — a link and QR code: faq-code, info-code, topic-topic, new, faq, info
about-polls = /polls — polls and surveys
about-poll_new = /poll_new [template] — a new poll
about-poll_list = /poll_list — polls
about-poll_results = /poll_results N — results with a chart, XLSX and CSV
about-poll_close = /poll_close N — close a poll
about-poll_edit = /poll_edit N — change a poll before it is published
about-discussions = /discussions — public discussions of draft documents
about-discussion_new = /discussion_new — a new public discussion
about-decide = /decide N accept|partly|reject reason — decide on a comment
about-comments = /comments N — the comments on a discussion
about-discussion_close = /discussion_close N — end a discussion with the summary
about-mailing_new = /mailing_new [template] — a mailing: text, audience, links, "Coming / Can't come", a time or a repeat, preview
about-mailings = /mailings — mailings with their delivery figures
about-mailing_pause = /mailing_pause N — pause a mailing
about-mailing_resume = /mailing_resume N — resume a mailing
about-mailing_cancel = /mailing_cancel N — cancel a mailing
about-groups = /groups — reference groups and mailings: join, leave, turn mailings off
about-group_requests = /group_requests — requests to join groups
about-group_new = /group_new code open|closed Name | Description | For whom — a new group
about-group_set = /group_set code open|closed|archive|restore — change a group
about-group_members = /group_members code — a group's members
about-group_add = /group_add code tg:ID vk:ID max:ID … — add members or import a list
about-group_remove = /group_remove code tg:ID vk:ID max:ID … — remove members
about-corruption = /corruption — report corruption (anonymously)
about-ac_list = /ac_list — the latest reports of corruption
about-ac_reply = /ac_reply N text — answer the author, if they allowed contact
about-opendata = /opendata — open data: aggregate figures as CSV and JSON
about-report = /report week|month|quarter [department] [now] — a report with a chart and a workbook; now: the period under way so far
about-usage = /usage week|month — how the bot is used: sections, commands, where people give up
about-mydata = /mydata — what data of yours is kept
about-forget = /forget — delete your data
about-lang = /lang [ru|en] — language (Русский / English)
about-access = /access — accessible mode: no emoji, buttons as a numbered list
about-operator = /operator add tg:ID (vk:ID, max:ID) department [operator|head] — to a department; /operator add tg:ID admin|anticorruption — admin or anti-corruption; /operator remove tg:ID [department] — take a role away
about-operators = /operators — staff and their roles
about-satisfaction = /satisfaction — satisfaction with answers by department
about-help = /help — this help
about-cancel = /cancel — cancel the current action
