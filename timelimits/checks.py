"""System checks placeholder (filled below)."""
