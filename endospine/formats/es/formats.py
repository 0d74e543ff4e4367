"""Spanish dates, the same shape as English: "mar 1 dic 2026", "mar 1 dic 2026, 14:05"."""

DATE_FORMAT = "D j b Y"
DATETIME_FORMAT = "D j b Y, H:i"
SHORT_DATE_FORMAT = DATE_FORMAT
SHORT_DATETIME_FORMAT = DATETIME_FORMAT
TIME_FORMAT = "H:i"
