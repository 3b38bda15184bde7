"""The site model: every page as data, rendered with Jinja2 templates."""
