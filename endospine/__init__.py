"""EndoSpine: software for an endoscopic spine surgery program."""

__version__ = "0.1.0"
