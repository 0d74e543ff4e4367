"""English dates: one format everywhere (issue 11): "Tue 1 Dec 2026", "Tue 1 Dec 2026, 14:05".

Day-month-year with the month in words reads the same to US and UK readers (no
1/12 vs 12/1 confusion); the weekday helps a patient place "day 3" on a calendar;
the 24-hour clock is the clinical convention.
"""

DATE_FORMAT = "D j M Y"
DATETIME_FORMAT = "D j M Y, H:i"
SHORT_DATE_FORMAT = DATE_FORMAT
SHORT_DATETIME_FORMAT = DATETIME_FORMAT
TIME_FORMAT = "H:i"
