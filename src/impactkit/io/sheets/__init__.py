"""Reading and writing spreadsheets for the batch scorer: headers, Dutch numbers, safety."""
