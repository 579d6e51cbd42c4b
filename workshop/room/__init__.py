"""The room: a live board of who has passed which exercise, for the instructor.

`workshop board` serves it (serve); an attendee who joined sends each check's
result to it (workshop.attendee.room). It is built the way the workshop teaches:
an app factory and thin routes (app, routes), settings from flags or the
environment (settings), the rules in one service (service) over SQLite (store),
errors as a small hierarchy (errors), limits on what one attendee may post
(limits), and pure ASGI middleware (headers). The page is plain HTML, CSS and
JavaScript (page/), with no build step.
"""
