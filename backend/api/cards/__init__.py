"""QR sign-in cards for young learners and the shared class devices they work on."""
