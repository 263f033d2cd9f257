/*
 * Flowdeck web chat widget: <script src="https://<flowdeck>/widget.js" data-channel="<publishable key>" async></script>
 * Dependency-free, no build step, nothing fetched from elsewhere. Talks to /ws/chat on the server that served it,
 * streams replies (token frames), reconnects with backoff and resumes the conversation (sessionStorage) so a reload
 * or a dropped connection loses nothing: each message has an id and is sent again on every new connection until the
 * server says it was `received` (the server takes a copy it has seen once). Markup: a labelled dialog region, the
 * transcript as role="log" (announced politely), a labelled input; focus moves into the panel when it opens and
 * back to the button when it closes.
 */
/* global document, location */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) return;
  var key = script.getAttribute("data-channel") || "";
  var title = script.getAttribute("data-title") || "Chat with us";
  var base = new URL(script.src, location.href);
  var BACK_TO_BOT = "You're chatting with our assistant again.";
  var socketUrl =
    (base.protocol === "https:" ? "wss:" : "ws:") +
    "//" +
    base.host +
    "/ws/chat?key=" +
    encodeURIComponent(key);
  var storeKey = "flowdeck-chat:" + (key.split(".")[2] || "default");

  var saved = {};
  try {
    saved = JSON.parse(sessionStorage.getItem(storeKey) || "{}") || {};
  } catch {
    saved = {};
  }
  var state = {
    conversationId: saved.conversationId || null,
    after: saved.after || null,
    items: saved.items || [],
    // Messages the server has not said it received: sent again when a connection opens.
    pending: saved.pending || [],
    seen: {},
  };
  state.items.forEach(function (item) {
    if (item.id) state.seen[item.id] = true;
  });
  function save() {
    try {
      sessionStorage.setItem(
        storeKey,
        JSON.stringify({
          conversationId: state.conversationId,
          after: state.after,
          items: state.items.slice(-200),
          pending: state.pending,
        }),
      );
    } catch {
      /* private mode: the conversation lives as long as the page */
    }
  }

  // ── markup ──────────────────────────────────────────────────────────────────────────────────────────────
  var host = document.createElement("div");
  host.setAttribute("data-flowdeck-chat", "");
  var root = host.attachShadow ? host.attachShadow({ mode: "open" }) : host;
  root.innerHTML =
    "<style>" +
    ":host{all:initial;position:fixed;right:16px;bottom:16px;z-index:2147483000;font:14px/1.4 system-ui,sans-serif;color:#111}" +
    ".toggle{background:#1f4ed8;color:#fff;border:0;border-radius:20px;padding:10px 16px;cursor:pointer}" +
    ".toggle:focus-visible,button:focus-visible,input:focus-visible{outline:3px solid #f59e0b;outline-offset:2px}" +
    ".panel{width:320px;max-height:460px;display:flex;flex-direction:column;background:#fff;border:1px solid #ccd;border-radius:10px;box-shadow:0 6px 24px rgba(0,0,0,.18);margin-bottom:8px}" +
    ".panel[hidden]{display:none}" +
    "h2{font-size:15px;margin:0;padding:10px 12px;border-bottom:1px solid #eee;display:flex;justify-content:space-between}" +
    ".close{background:none;border:0;font-size:18px;cursor:pointer}" +
    ".log{flex:1;overflow-y:auto;padding:10px 12px;min-height:160px}" +
    ".msg{margin:6px 0;padding:7px 10px;border-radius:10px;max-width:85%;white-space:pre-wrap;word-wrap:break-word}" +
    ".customer{background:#1f4ed8;color:#fff;margin-left:auto}.bot,.agent{background:#f1f3f7}.agent{border-left:3px solid #16a34a}" +
    ".note{color:#555;font-size:12px;text-align:center}" +
    ".status{min-height:18px;padding:0 12px;color:#555;font-size:12px}" +
    "form{display:flex;gap:6px;padding:10px 12px;border-top:1px solid #eee}" +
    "label{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}" +
    "input{flex:1;padding:8px;border:1px solid #bbc;border-radius:6px;font:inherit}" +
    "form button{background:#1f4ed8;color:#fff;border:0;border-radius:6px;padding:8px 12px;cursor:pointer}" +
    ".choices{display:flex;flex-wrap:wrap;gap:6px;margin:2px 0 8px}" +
    ".choices button{background:#fff;color:#1f4ed8;border:1px solid #1f4ed8;border-radius:16px;padding:5px 11px;cursor:pointer;font:inherit}" +
    "</style>" +
    '<div class="panel" role="dialog" aria-labelledby="fd-title" hidden>' +
    '<h2 id="fd-title"><span></span><button type="button" class="close" aria-label="Close chat">×</button></h2>' +
    '<div class="log" role="log" aria-live="polite" aria-relevant="additions text" aria-label="Conversation"></div>' +
    '<div class="status" aria-live="polite"></div>' +
    '<form><label for="fd-input">Your message</label><input id="fd-input" name="message" autocomplete="off" maxlength="4000" required>' +
    '<button type="submit">Send</button></form></div>' +
    '<button type="button" class="toggle" aria-expanded="false">' +
    "Chat" +
    "</button>";
  var $ = function (selector) {
    return root.querySelector(selector);
  };
  var panel = $(".panel"),
    log = $(".log"),
    status = $(".status"),
    form = $("form"),
    input = $("input"),
    toggle = $(".toggle");
  $("h2 span").textContent = title;
  toggle.setAttribute("aria-label", title);

  // `moveFocus` is false when the page opens the panel by itself (data-open, a restored conversation): a page
  // load must not steal the focus; a person opening or closing it gets the focus moved for them.
  function setOpen(open, moveFocus) {
    panel.hidden = !open;
    toggle.setAttribute("aria-expanded", String(open));
    if (open) {
      if (moveFocus !== false) input.focus();
      // A chat that opens for the first time starts its conversation, so the greeting comes before anything
      // the customer writes; a restored conversation resumes instead (onopen).
      if (!state.conversationId && !opening) {
        opening = true;
        send({ type: "open" });
      }
      connect();
    } else if (moveFocus !== false) {
      toggle.focus();
    }
  }
  toggle.addEventListener("click", function () {
    setOpen(panel.hidden);
  });
  $(".close").addEventListener("click", function () {
    setOpen(false);
  });
  panel.addEventListener("keydown", function (event) {
    if (event.key === "Escape") setOpen(false);
  });

  function bubble(author, text, id) {
    var div = document.createElement("div");
    div.className = "msg " + author;
    div.setAttribute("data-author", author);
    if (id) div.setAttribute("data-id", id);
    div.textContent = text; // never innerHTML: chat text is data
    log.appendChild(div);
    log.scrollTop = log.scrollHeight;
    return div;
  }
  function note(text) {
    var div = bubble("note", text);
    div.className = "msg note";
  }
  // The answers a bot message offers as buttons: only the latest message's, and only until the customer
  // answers; a click sends the label as their message.
  function offer(choices) {
    withdrawChoices();
    if (!choices || !choices.length) return;
    var row = document.createElement("div");
    row.className = "choices";
    row.setAttribute("role", "group");
    row.setAttribute("aria-label", "Suggested answers");
    choices.forEach(function (label) {
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = label;
      button.addEventListener("click", function () {
        sendText(label);
      });
      row.appendChild(button);
    });
    log.appendChild(row);
    log.scrollTop = log.scrollHeight;
  }
  function withdrawChoices() {
    var row = log.querySelector(".choices");
    if (row) row.remove();
  }
  state.items.forEach(function (item) {
    bubble(item.author, item.text, item.id);
  });
  var lastItem = state.items[state.items.length - 1];
  if (lastItem && lastItem.choices) offer(lastItem.choices);

  // ── connection ──────────────────────────────────────────────────────────────────────────────────────────
  // Reconnects back off exponentially with jitter (half of 1, 2, 4 … 30 s, plus up to as much again), and nothing — not even sending — connects
  // while a retry waits. A browser never sees why a handshake failed (a 429 FD386/FD387 connection cap looks like
  // a network error), so every failure backs off, and the count resets only after a connection stayed up: a
  // server that accepts and closes at once is not hammered either.
  // `socket` holds a socket from its creation to its close event, CLOSING included: a message typed while the
  // server's close is under way waits (in `state.pending`) for the retry. It used to open a second socket beside
  // the closing one; the first's close event then cleared `socket`, and the second's open re-queued the outbox
  // forever, freezing the page (widget-closing-socket.test.ts).
  var socket = null,
    retries = 0,
    retryTimer = null,
    openedAt = 0,
    outbox = [],
    streaming = {},
    opening = false;
  function connect() {
    if (socket || retryTimer) return;
    var ws = (socket = new WebSocket(socketUrl, ["flowdeck.v1"]));
    openedAt = 0;
    ws.onopen = function () {
      openedAt = Date.now();
      status.textContent = "";
      var queued = outbox;
      outbox = [];
      if (state.conversationId)
        queued.unshift({
          type: "resume",
          conversationId: state.conversationId,
          after: state.after || undefined,
        });
      state.pending.forEach(function (message) {
        queued.push(messageFrame(message));
      });
      queued.forEach(function (frame) {
        ws.send(JSON.stringify(frame));
      });
    };
    ws.onmessage = function (event) {
      var frame;
      try {
        frame = JSON.parse(event.data);
      } catch {
        return;
      }
      receive(frame);
    };
    ws.onclose = function (event) {
      socket = null;
      if (event.code === 1008 && /FD37[01]/.test(event.reason)) {
        status.textContent = "Chat is not available on this page.";
        return;
      }
      if (openedAt && Date.now() - openedAt > 10000) retries = 0;
      var ceiling = Math.min(30000, 1000 * Math.pow(2, retries++));
      var delay = ceiling / 2 + (Math.random() * ceiling) / 2;
      status.textContent = "Reconnecting…";
      retryTimer = setTimeout(function () {
        retryTimer = null;
        connect();
      }, delay);
    };
  }
  // A message frame is not kept in the outbox: `state.pending` has it until the server says it was received.
  function send(frame) {
    if (socket && socket.readyState === 1) socket.send(JSON.stringify(frame));
    else {
      if (frame.type !== "message") outbox.push(frame);
      connect();
    }
  }
  function messageFrame(message) {
    return {
      type: "message",
      id: message.id,
      text: message.text,
      conversationId: state.conversationId || undefined,
    };
  }
  // 128 random bits as hex; getRandomValues works on pages that are not a secure context, randomUUID does not.
  function newMessageId() {
    var bytes = crypto.getRandomValues(new Uint8Array(16));
    var hex = "";
    for (var i = 0; i < bytes.length; i++) hex += (bytes[i] < 16 ? "0" : "") + bytes[i].toString(16);
    return hex;
  }
  function settle(messageId) {
    var left = state.pending.filter(function (message) {
      return message.id !== messageId;
    });
    if (left.length === state.pending.length) return;
    state.pending = left;
    save();
  }

  function receive(frame) {
    if (frame.type === "ready" && frame.conversationId) {
      state.conversationId = frame.conversationId;
      save();
    } else if (frame.type === "typing") {
      status.textContent = frame.on ? "Typing…" : "";
    } else if (frame.type === "token") {
      var slot = frame.runId + "|" + frame.stepId;
      var live = streaming[slot] || (streaming[slot] = bubble("bot", ""));
      live.setAttribute("aria-busy", "true");
      live.textContent += frame.text;
      log.scrollTop = log.scrollHeight;
    } else if (frame.type === "reply") {
      if (state.seen[frame.id]) return;
      state.seen[frame.id] = true;
      var streamed = streaming[frame.id.split("|").slice(0, 2).join("|")];
      if (streamed && frame.author === "bot") {
        streamed.textContent = frame.text;
        streamed.removeAttribute("aria-busy");
        streamed.setAttribute("data-id", frame.id);
        delete streaming[frame.id.split("|").slice(0, 2).join("|")];
      } else {
        bubble(frame.author, frame.text, frame.id);
      }
      offer(frame.choices);
      remember(frame.author, frame.text, frame.id, frame.at, frame.choices);
      status.textContent = "";
    } else if (frame.type === "handoff") {
      var id = "handoff|" + frame.runId;
      if (state.seen[id]) return;
      state.seen[id] = true;
      withdrawChoices();
      note("A member of our team will answer here.");
      remember("note", "A member of our team will answer here.", id, frame.at);
    } else if (frame.type === "handback") {
      // The person handed the conversation back (or resolved it): the customer should know who answers now.
      var back = "handback|" + frame.runId;
      if (state.seen[back]) return;
      state.seen[back] = true;
      note(BACK_TO_BOT);
      remember("note", BACK_TO_BOT, back, frame.at);
    } else if (frame.type === "received") {
      settle(frame.id);
    } else if (frame.type === "error") {
      // A refusal of one message (it names it) would be refused again: it is not sent any more.
      if (frame.id) settle(frame.id);
      status.textContent = frame.message || "Something went wrong.";
    }
  }
  function remember(author, text, id, at, choices) {
    var item = { author: author, text: text, id: id };
    if (choices && choices.length) item.choices = choices;
    state.items.push(item);
    if (at && (!state.after || at > state.after)) state.after = at;
    save();
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (!text) return;
    input.value = "";
    sendText(text);
  });

  function sendText(text) {
    withdrawChoices();
    bubble("customer", text);
    remember("customer", text, null, null);
    var message = { id: newMessageId(), text: text };
    state.pending.push(message);
    save();
    send(messageFrame(message));
    input.focus();
  }

  function mount() {
    document.body.appendChild(host);
    if (script.hasAttribute("data-open") || state.conversationId || state.pending.length)
      setOpen(true, false);
  }
  if (document.body) mount();
  else document.addEventListener("DOMContentLoaded", mount);
})();
