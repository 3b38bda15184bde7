"""Delivery: the weekly loop where people are (reminders, chat payloads, e-mail). Pure but for smtp.py."""
