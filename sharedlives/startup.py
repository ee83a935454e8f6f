"""What a long-running process (a gunicorn worker, a Celery worker) does once Django has loaded."""

import gc

YOUNG_GENERATION_THRESHOLD = 20_000


def freeze_startup_objects() -> None:
    """Move everything loaded at startup (modules, URL patterns, templates, models) out of the collector's sight.

    These objects live as long as the process, yet every full garbage collection walks them again. A request that
    builds many objects (ranking 10,000 households builds tens of thousands) sets off such collections: freezing the
    startup heap took ~40 ms off the median ranking on 2 cores (make bench). Python's gc docs recommend the same
    before forking, so that workers share these pages copy-on-write.

    The youngest generation is also collected after 20,000 new objects rather than 700: a ranking builds ~50,000
    short-lived rows and judgements that die by reference counting, and with the default the collector ran ~70 times
    per ranking for nothing (about 30 ms of the median on 2 cores, make bench). Django makes few reference cycles,
    so such garbage only waits a little longer.
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(YOUNG_GENERATION_THRESHOLD, *gc.get_threshold()[1:])
