"""Static files: hashed names (CompressedManifestStaticFilesStorage) cached by browsers for a year, immutable,
and served gzip- or brotli-compressed by WhiteNoise."""

from whitenoise.middleware import WhiteNoiseMiddleware


class StaticFilesMiddleware(WhiteNoiseMiddleware):
    # A hashed name changes with its content, so a browser never needs to ask again; a year is the longest
    # lifetime HTTP caches are expected to honour (WhiteNoise's default is ten).
    FOREVER = 365 * 24 * 60 * 60
