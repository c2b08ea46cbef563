"""The application calendar (申报日历): when each published award can be applied for (windows), and the
same windows as iCalendar events (ics). The pages and feeds are measures/public/views/calendar.py."""
