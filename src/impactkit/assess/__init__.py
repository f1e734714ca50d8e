"""The Impactpad self-assessment: themes, questions and indicators as data; levels per theme."""
