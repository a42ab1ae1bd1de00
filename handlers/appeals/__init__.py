"""Appeals (обращения): filing one (intake), its life from registration to the answer and the
rating (lifecycle, ratings, clarify, deadlines), how it reads (views, cards), and the
catalogues it is filed under (topics, departments, urgency). Reports of corruption are filed
here too, with their own officers."""
