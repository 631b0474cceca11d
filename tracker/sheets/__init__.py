"""Spreadsheets in and out: actions and agreements exported as XLSX and CSV, and actions imported into an agreement
from either, through a preview that shows every row's errors and saves nothing until the whole file is right."""
