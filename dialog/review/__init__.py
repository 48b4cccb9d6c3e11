"""The politicians' review: every input tied to a goal, goal by goal and across a whole
framework, with filters, figures, exports and a printable report; never who sent it."""
