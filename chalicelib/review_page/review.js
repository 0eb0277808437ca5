// The review page of a share link: reads shared/playlists/{token} and plays its entries.
// No framework, no build step: the page's CSP allows only this file as script.
"use strict";
(function () {
  const token = decodeURIComponent(location.pathname.replace(/\/+$/, "").split("/").pop());
  const api = "../api/shared/playlists/" + encodeURIComponent(token);
  const $ = (id) => document.getElementById(id);
  const state = { password: sessionStorage.getItem("share-password:" + token) || "", entries: [], index: 0,
                  fps: 25, statuses: [], canComment: false, playing: false, pictureTimer: null,
                  build: null, inBuild: false };

  function query(extra) {
    const params = new URLSearchParams(extra || {});
    if (state.password) params.set("password", state.password);
    const text = params.toString();
    return text ? "?" + text : "";
  }

  async function getJson(path, options) {
    const answer = await fetch(api + path + query(), Object.assign({ credentials: "omit" }, options || {}));
    let body = null;
    try { body = await answer.json(); } catch (error) { body = null; }
    return { status: answer.status, body: body };
  }

  function say(text) { $("message").textContent = text || ""; }

  async function open() {
    const answer = await getJson("");
    if (answer.status === 404 && answer.body && answer.body.data && answer.body.data.password_required) {
      $("password-form").hidden = false;
      say(state.password ? "Wrong password." : "");
      return;
    }
    if (answer.status === 429) { say(answer.body.message); $("password-form").hidden = false; return; }
    if (answer.status !== 200) { say("This link has expired or was revoked."); return; }
    if (state.password) sessionStorage.setItem("share-password:" + token, state.password);
    $("password-form").hidden = true;
    say("");
    const context = await getJson("/context");
    show(answer.body, context.body || {});
  }

  function show(playlist, context) {
    state.fps = Number(playlist.project_fps || (context.project || {}).fps) || 25;
    state.statuses = context.task_statuses || [];
    state.canComment = playlist.can_comment !== false;
    state.entries = (playlist.shots || []).map((shot, shotIndex) => Object.assign({ shotIndex: shotIndex }, shot))
      .filter((shot) => shot.preview_file_id);
    // The built movie, when it still matches the playlist: one video, each entry at its frames.
    const built = playlist.build_movie;
    state.build = null;
    if (built) {
      const parts = String(built.fps).split("/");
      state.build = { url: api + "/jobs/" + built.build_job_id + "/build/mp4" + query(),
                      fps: Number(parts[0]) / Number(parts[1] || 1) };
      const placed = {};
      built.entries.forEach((part) => { placed[part.index] = part; });
      state.entries.forEach((entry) => { entry.build = placed[entry.shotIndex] || null; });
    }
    $("title").textContent = playlist.name;
    $("subtitle").textContent = (playlist.project_name || "") + " · " + state.entries.length + " entries · " +
      state.fps + " fps" + (state.build ? " · built movie" : "");
    document.title = playlist.name + " – review";
    const strip = $("strip");
    strip.textContent = "";
    state.entries.forEach((entry, index) => {
      const item = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      button.dataset.index = String(index);
      const thumb = document.createElement("img");
      thumb.alt = "";
      thumb.loading = "lazy";
      thumb.src = api + "/pictures/thumbnails/preview-files/" + entry.preview_file_id + ".png" + query();
      const label = document.createElement("span");
      label.textContent = (entry.parent_name ? entry.parent_name + " / " : "") + (entry.name || "entry " + (index + 1));
      button.append(thumb, label);
      button.addEventListener("click", () => select(index, state.playing));
      item.append(button);
      strip.append(item);
    });
    $("player").hidden = false;
    $("comment-form").hidden = !state.canComment;
    $("guest-name").value = localStorage.getItem("share-guest-name") || "";
    if (state.entries.length) select(0, false);
    else say("This playlist has no entries yet.");
    loadComments();
  }

  function isMovie(entry) { return entry.preview_file_extension === "mp4"; }

  function videoFps() { return state.inBuild ? state.build.fps : state.fps; }

  function highlight(index) {
    state.index = index;
    const entry = state.entries[index];
    document.querySelectorAll("#strip button").forEach((button) => {
      button.classList.toggle("current", Number(button.dataset.index) === index);
    });
    $("entry-name").textContent = entry.name || "";
    $("comment-where").textContent = entry.name || "this entry";
  }

  function seekBuild(frame) {
    const video = $("video");
    const target = (frame + 0.5) / state.build.fps;
    if (video.readyState >= 1) video.currentTime = target;
    else video.addEventListener("loadedmetadata", () => { video.currentTime = target; }, { once: true });
  }

  function select(index, autoplay) {
    clearTimeout(state.pictureTimer);
    highlight(index);
    const entry = state.entries[index];
    const video = $("video");
    const picture = $("picture");
    if (entry.build) {
      picture.hidden = true;
      video.hidden = false;
      if (!state.inBuild) { video.src = state.build.url; state.inBuild = true; }
      seekBuild(entry.build.frame_in);
      if (autoplay) video.play().catch(() => {});
    } else if (isMovie(entry)) {
      state.inBuild = false;
      picture.hidden = true;
      video.hidden = false;
      video.src = api + "/movies/originals/preview-files/" + entry.preview_file_id + ".mp4" + query();
      if (autoplay) video.play().catch(() => {});
    } else {
      state.inBuild = false;
      video.pause();
      video.removeAttribute("src");
      video.hidden = true;
      picture.hidden = false;
      picture.src = api + "/pictures/originals/preview-files/" + entry.preview_file_id + ".png" + query();
      // A picture is shown for two seconds when the playlist plays through.
      if (autoplay) state.pictureTimer = setTimeout(next, 2000);
    }
    updateFrame();
  }

  function next() {
    if (state.inBuild) {
      // The built movie ended: go on with what it left out (pictures), if anything follows.
      const after = state.entries.findIndex((entry, index) => index > state.index && !entry.build);
      if (after >= 0) select(after, state.playing); else { state.playing = false; $("play").textContent = "▶︎"; }
      return;
    }
    if (state.index + 1 < state.entries.length) select(state.index + 1, state.playing);
    else { state.playing = false; $("play").textContent = "▶︎"; }
  }

  function videoFrame() {
    // Steps aim at the middle of a frame, so flooring never lands on a neighbour;
    // the epsilon absorbs a currentTime a hair before a frame's start.
    return Math.floor($("video").currentTime * videoFps() + 1e-3);
  }

  function frameNumber() {
    const entry = state.entries[state.index];
    if (!entry || !isMovie(entry)) return 0;
    if (state.inBuild && entry.build) return Math.max(0, videoFrame() - entry.build.frame_in);
    return videoFrame();
  }

  function followBuild() {
    // Playing or stepping through the built movie moves from entry to entry.
    if (!state.inBuild) return;
    const frame = videoFrame();
    const index = state.entries.findIndex((entry) => entry.build && frame >= entry.build.frame_in &&
      frame < entry.build.frame_in + entry.build.frames);
    if (index >= 0 && index !== state.index) highlight(index);
  }

  function timecode(frame) {
    const fps = Math.round(state.fps);
    const pad = (n) => String(n).padStart(2, "0");
    const seconds = Math.floor(frame / fps);
    return pad(Math.floor(seconds / 3600)) + ":" + pad(Math.floor(seconds / 60) % 60) + ":" + pad(seconds % 60) +
      ":" + pad(frame % fps);
  }

  function updateFrame() {
    followBuild();
    const frame = frameNumber();
    $("frame").textContent = String(frame);
    $("timecode").textContent = timecode(frame);
  }

  function step(frames) {
    const video = $("video");
    const entry = state.entries[state.index];
    if (!entry) return;
    if (!isMovie(entry)) { select(Math.max(0, Math.min(state.entries.length - 1, state.index + frames)), false); return; }
    video.pause();
    state.playing = false;
    $("play").textContent = "▶︎";
    const fps = videoFps();
    const target = Math.max(0, videoFrame() + frames);
    const duration = isFinite(video.duration) ? video.duration : 0;
    // Aim at the middle of the frame so that decoders round to it.
    video.currentTime = Math.min((target + 0.5) / fps, Math.max(0, duration - 0.5 / fps));
  }

  function togglePlay() {
    const entry = state.entries[state.index];
    if (!entry) return;
    state.playing = !state.playing;
    $("play").textContent = state.playing ? "❚❚" : "▶︎";
    if (!isMovie(entry)) { if (state.playing) state.pictureTimer = setTimeout(next, 2000); return; }
    if (state.playing) $("video").play().catch(() => {}); else $("video").pause();
  }

  async function guestId() {
    const key = "share-guest:" + token;
    const name = $("guest-name").value.trim() || "Guest";
    localStorage.setItem("share-guest-name", name);
    const [first, ...rest] = name.split(/\s+/);
    const answer = await getJson("/guest", { method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ first_name: first, last_name: rest.join(" "), guest_id: localStorage.getItem(key) || "" }) });
    if (answer.status !== 200 && answer.status !== 201) throw new Error((answer.body || {}).message || "No guest");
    localStorage.setItem(key, answer.body.id);
    return answer.body.id;
  }

  function commentStatus(entry) {
    const allowed = state.statuses.filter((status) => status.is_client_allowed);
    const current = allowed.find((status) => status.id === entry.task_status_id);
    return (current || allowed.find((status) => status.is_default) || allowed[0] || {}).id;
  }

  async function postComment(event) {
    event.preventDefault();
    const entry = state.entries[state.index];
    const text = $("comment-text").value.trim();
    if (!entry || !text) return;
    $("comment-submit").disabled = true;
    try {
      const frame = frameNumber();
      const answer = await getJson("/comments", { method: "POST", headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ guest_id: await guestId(), task_id: entry.preview_file_task_id,
          task_status_id: commentStatus(entry),
          text: "Frame " + frame + " (" + timecode(frame) + "): " + text,
          data: { frame: frame, timecode: timecode(frame), preview_file_id: entry.preview_file_id } }) });
      if (answer.status !== 201) throw new Error((answer.body || {}).message || "Not posted");
      $("comment-text").value = "";
      say("Comment posted.");
      loadComments();
    } catch (error) {
      say("The comment was not posted: " + error.message);
    } finally {
      $("comment-submit").disabled = false;
    }
  }

  async function loadComments() {
    const answer = await getJson("/comments");
    const list = $("comments");
    list.textContent = "";
    (answer.status === 200 ? answer.body : []).forEach((comment) => {
      const item = document.createElement("li");
      const who = document.createElement("div");
      who.className = "who";
      who.textContent = ((comment.person || {}).full_name || "") + " · " + String(comment.created_at).slice(0, 16);
      const text = document.createElement("div");
      text.textContent = comment.text;
      item.append(who, text);
      list.append(item);
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    $("password-form").addEventListener("submit", (event) => {
      event.preventDefault();
      state.password = $("password").value;
      open();
    });
    $("prev-frame").addEventListener("click", () => step(-1));
    $("next-frame").addEventListener("click", () => step(1));
    $("play").addEventListener("click", togglePlay);
    $("comment-form").addEventListener("submit", postComment);
    const video = $("video");
    ["timeupdate", "seeked", "loadedmetadata"].forEach((name) => video.addEventListener(name, updateFrame));
    video.addEventListener("ended", next);
    document.addEventListener("keydown", (event) => {
      if (["INPUT", "TEXTAREA"].includes(event.target.tagName)) return;
      if (event.key === "ArrowLeft") { step(-1); event.preventDefault(); }
      if (event.key === "ArrowRight") { step(1); event.preventDefault(); }
      if (event.key === " ") { togglePlay(); event.preventDefault(); }
    });
    open();
  });
})();
