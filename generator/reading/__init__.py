"""Reading OKR files: bytes -> located findings and the model."""
