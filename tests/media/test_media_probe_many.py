import shutil

import pytest

from chalicelib.media import MediaError, probe_movie
from chalicelib.media.probe import probe_movies


def test_probing_many_movies_at_once_reads_each_as_alone(normalized_pair, clip_wide_silent, tmp_path):
    paths = [str(normalized_pair["4x3"][0]), str(clip_wide_silent), str(normalized_pair["wide"][0])]
    assert probe_movies(paths) == [probe_movie(path, count_frames=False) for path in paths]


def test_probing_many_movies_names_the_unreadable_one(normalized_pair, tmp_path):
    broken = tmp_path / "broken.mp4"
    broken.write_bytes(b"not a movie")
    good = tmp_path / "good.mp4"
    shutil.copy(normalized_pair["wide"][0], good)
    with pytest.raises(MediaError):
        probe_movies([str(good), str(broken)])
