"""What each state of the playlist movie build receives and returns: the documents the
state machine in infra/resources.yaml (PlaylistMovieStateMachine) passes between the
Lambda functions of `build_pipeline`. Each task's Parameters (or the Map's ItemSelector)
name exactly the keys of its input here, and a ResultSelector exactly the keys of an
output (tests/unit/test_build_states.py reads the definition to hold both to it).

    execution input (BuildInput)
      PlanChunks    PlanInput  -> PlanOutput,  kept at $.plan
      BuildChunks   Map over $.plan.chunks: BuildChunk ChunkInput -> ChunkOutput, the list kept at $.built
      JoinChunks    JoinInput  -> JoinOutput,  the execution's output
      MarkFailed    FailInput  -> FailOutput   (any state's Catch puts {Error, Cause} at $.error)

Every task gets `execution`, the execution's name, as its logs' correlation id."""
from typing import Literal, TypedDict


class BuildInput(TypedDict):
    """What `builds.start_build` starts an execution with (its name is the job's id)."""
    build_job_id: str


class PlanInput(TypedDict):
    build_job_id: str
    execution: str


class PlanOutput(TypedDict):
    # Chunk numbers only: the plan itself is in S3 (a long playlist's would outgrow
    # Step Functions' 256 KB payload limit).
    chunks: list[int]


class ChunkInput(TypedDict):
    build_job_id: str
    execution: str
    index: int


class ChunkOutput(TypedDict):
    index: int
    key: str  # the content key of the chunk's movie piece (storage.playlist_chunk_key)
    reused: bool  # taken from an earlier build
    method: Literal["copy", "conform"]  # conform: some entry was re-encoded into the build's format
    duration: float  # seconds of video: its frames at the build's fps
    init_size: int  # bytes of the piece's ftyp + moov, before its fragments
    fragments: list[list[int]]  # [bytes, video frames] of each fragment (media.fragments.Layout)


class JoinInput(TypedDict):
    build_job_id: str
    execution: str
    built: list[ChunkOutput]


class JoinOutput(TypedDict):
    build_job_id: str
    status: Literal["succeeded", "discarded"]  # discarded: the job was deleted or ended meanwhile


class CaughtError(TypedDict):
    """What a Catch records: the error's name and its cause (Lambda's errorMessage as JSON)."""
    Error: str
    Cause: str


class FailInput(TypedDict):
    build_job_id: str
    execution: str
    error: CaughtError


class FailOutput(TypedDict):
    build_job_id: str
    status: Literal["failed"]
    failure_reason: str
