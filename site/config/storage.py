"""Static files storage for ``make run`` and the benchmarks: production's, made forgiving.

Production uses WhiteNoise's ``CompressedManifestStaticFilesStorage`` as it is: after
``collectstatic`` every file has a content-hashed name (cached for good by browsers) and Brotli
and gzip copies that WhiteNoise serves to the browsers that accept them.

The development server (``make run``, DEBUG on) gets the same, with two differences:

- hashed names even with DEBUG on (Django turns them off there), so the pages are measured and
  cached as in production (docs/performance.md, "Peso delle pagine");
- a file ``collectstatic`` has not seen yet (a new file, before the next ``make serve``) gets
  its plain name instead of an error, and WhiteNoise serves it from the finders.
"""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class ForgivingCompressedManifestStorage(CompressedManifestStaticFilesStorage):
    def url(self, name, force=False):
        try:
            return self._url(self.stored_name, name, force=True)
        except ValueError:  # not in the manifest (or no manifest yet): the plain name
            return self._url(lambda clean_name: clean_name, name, force=True)
