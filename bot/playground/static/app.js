// The playground page: draws one phone per person from /api/chats and sends what they do to /api/.
// Every word comes from the server (locales/fa/playground.ftl), as the "labels" JSON in the page.
"use strict";

const L = JSON.parse(document.getElementById("labels").textContent);
const DEEP_LINK = /^https:\/\/(?:t\.me|ble\.ir)\/(\w+)\?start=([A-Za-z0-9_-]{1,64})$/;
const phones = new Map(); // person key -> {root, person, shownToasts, keyboardOpen, lastCount}
let state = null;
let loading = null;
let again = false;

function label(key, values = {}) {
  return (L[key] || key).replace(/\{(\w+)\}/g, (_, name) => (name in values ? values[name] : `{${name}}`));
}

async function api(method, path, body) {
  const response = await fetch(path, {
    method,
    headers: body === undefined ? {} : { "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = await response.json().catch(() => ({}));
  if (!response.ok) throw Object.assign(new Error(data.error || response.statusText), { data });
  return data;
}

// Busy while a request runs: the control that started it is disabled, so nothing is sent twice.
async function busy(control, work) {
  if (control) control.disabled = true;
  try {
    return await work();
  } catch (error) {
    console.warn(error);
    return null;
  } finally {
    if (control) control.disabled = false;
    refresh();
  }
}

// ------------------------------------------------------------------ reading

function refresh() {
  if (loading) { again = true; return loading; }
  loading = (async () => {
    try {
      const [newState, chats] = await Promise.all([api("GET", "/api/state"), api("GET", "/api/chats")]);
      state = newState;
      drawTop();
      for (const person of state.people) drawPhone(person, chats.chats[person.key]);
      for (const key of [...phones.keys()]) {
        if (!state.people.some((p) => p.key === key)) { phones.get(key).root.remove(); phones.delete(key); }
      }
      document.getElementById("offline").hidden = true;
    } catch (error) {
      document.getElementById("offline").hidden = false;
    } finally {
      loading = null;
      if (again) { again = false; refresh(); }
    }
  })();
  return loading;
}

function drawTop() {
  document.getElementById("clock").textContent = state.clock.text;
  const panel = document.getElementById("scenario");
  const run = state.scenario;
  panel.hidden = !run;
  if (!run) return;
  document.getElementById("scenario-title").textContent = run.title;
  document.getElementById("scenario-progress").textContent = run.progress;
  const steps = document.getElementById("scenario-steps");
  steps.replaceChildren(...run.steps.map((caption, index) => {
    const item = document.createElement("li");
    item.textContent = caption;
    item.className = index < run.done ? "done" : index === run.done ? "next" : "";
    if (index === run.done) item.setAttribute("aria-current", "step");
    return item;
  }));
  const problem = document.getElementById("scenario-problem");
  problem.hidden = !run.problem;
  problem.textContent = run.problem ? label("pg-scenario-failed", { problem: run.problem }) : "";
  document.getElementById("scenario-next").disabled = run.finished;
  document.getElementById("scenario-all").disabled = run.finished;
}

// ------------------------------------------------------------------ a phone

function makePhone(person) {
  const root = document.getElementById("phone-template").content.firstElementChild.cloneNode(true);
  const phone = { root, person, shownToasts: new Set(), keyboardOpen: true, lastCount: -1, firstDraw: true };
  root.dataset.person = person.key;
  root.querySelector(".rename").addEventListener("click", () => {
    const name = window.prompt(label("pg-rename-prompt"), phone.person.name);
    if (name && name.trim()) busy(null, () => api("PATCH", `/api/people/${person.key}`, { name }));
  });
  root.querySelector(".composer").addEventListener("submit", (event) => {
    event.preventDefault();
    const input = root.querySelector(".text");
    const text = input.value;
    if (!text.trim()) return;
    input.value = "";
    busy(root.querySelector(".send"), () => api("POST", `/api/people/${person.key}/send`, { text }));
  });
  root.querySelector(".keyboard-toggle").addEventListener("click", () => {
    phone.keyboardOpen = !phone.keyboardOpen;
    root.querySelector(".keyboard").hidden = !phone.keyboardOpen;
  });
  root.querySelector(".alert-ok").addEventListener("click", () => { root.querySelector(".alert").hidden = true; });
  root.querySelector(".chat").addEventListener("click", (event) => openLink(event, phone));
  document.getElementById("phones").appendChild(root);
  phones.set(person.key, phone);
  return phone;
}

function drawPhone(person, chat) {
  const phone = phones.get(person.key) || makePhone(person);
  phone.person = person;
  const { root } = phone;
  root.className = `phone ${person.platform}`;
  root.setAttribute("aria-label", `${person.name} — ${person.role_label} — ${person.platform_label}`);
  root.querySelector(".name").textContent = person.name;
  root.querySelector(".role").textContent = `${person.role_label} · ${person.platform_label}`;
  root.querySelector(".avatar").textContent = person.name.trim().charAt(0);
  if (!chat) return;
  drawChat(phone, chat);
  drawKeyboard(phone, chat.keyboard);
  drawToasts(phone, chat.toasts);
}

function drawChat(phone, chat) {
  const box = phone.root.querySelector(".chat");
  const grew = chat.messages.length !== phone.lastCount;
  const scrolled = box.scrollTop;
  // Keyed by message: an unchanged message keeps its element (and a button being clicked stays put).
  const before = phone.items || new Map();
  const items = new Map();
  const elements = [];
  chat.messages.forEach((message, index) => {
    const key = message.kind === "bot" || message.kind === "user" ? `${message.kind}:${message.id}` : `${message.kind}:${message.id}:${index}`;
    const signature = JSON.stringify(message);
    const old = before.get(key);
    const element = old && old.signature === signature ? old.element : drawMessage(phone, message);
    items.set(key, { signature, element });
    elements.push(element);
  });
  phone.items = items;
  if (!chat.messages.length) {
    const empty = document.createElement("p");
    empty.className = "empty";
    empty.textContent = label("pg-empty-chat");
    const start = document.createElement("button");
    start.type = "button";
    start.className = "tool";
    start.textContent = label("pg-start");
    start.addEventListener("click", () => busy(start, () => api("POST", `/api/people/${phone.person.key}/send`, { text: "/start" })));
    empty.append(document.createElement("br"), start);
    elements.push(empty);
  }
  const same = elements.length === box.children.length && elements.every((e, i) => box.children[i] === e);
  if (!same) box.replaceChildren(...elements);
  box.scrollTop = phone.firstDraw || grew ? box.scrollHeight : scrolled; // new messages scroll into view
  phone.firstDraw = false;
  phone.lastCount = chat.messages.length;
}

function drawMessage(phone, message) {
  const wrap = document.createElement("div");
  wrap.className = "item";
  if (message.kind === "error") {
    const note = document.createElement("p");
    note.className = "error";
    note.innerHTML = message.html; // escaped by the server
    wrap.appendChild(note);
    return wrap;
  }
  const bubble = document.createElement("div");
  bubble.className = `msg ${message.kind}${message.deleted ? " deleted" : ""}`;
  bubble.dataset.id = message.id;
  if (message.kind === "forward") {
    const from = document.createElement("div");
    from.className = "forwarded-from";
    from.textContent = label("pg-forwarded-from", { name: message.from });
    bubble.appendChild(from);
  }
  if (message.photo && !message.deleted) {
    const img = document.createElement("img");
    img.className = "photo";
    img.src = message.photo.url;
    img.alt = label("pg-photo");
    bubble.appendChild(img);
  }
  if (message.document && !message.deleted) bubble.appendChild(drawFile(message.document));
  const body = document.createElement("div");
  body.className = "body";
  if (message.deleted) body.textContent = label("pg-deleted");
  else body.innerHTML = message.html; // built and escaped by the server (bot/playground/render.py)
  bubble.appendChild(body);
  const meta = document.createElement("span");
  meta.className = "meta";
  meta.textContent = message.edited ? `${label("pg-edited")} · ${message.time}` : message.time;
  if (message.kind === "bot" && !message.deleted && state.people.length > 1) {
    const forward = document.createElement("button");
    forward.type = "button";
    forward.className = "forward-button";
    forward.textContent = label("pg-forward");
    forward.addEventListener("click", () => askForward(phone, message));
    meta.prepend(forward);
  }
  bubble.appendChild(meta);
  wrap.appendChild(bubble);
  if (message.buttons.length) {
    const keyboard = document.createElement("div");
    keyboard.className = "inline-keyboard";
    for (const row of message.buttons) {
      const line = document.createElement("div");
      line.className = "inline-row";
      for (const button of row) line.appendChild(inlineButton(phone, message, button));
      keyboard.appendChild(line);
    }
    wrap.appendChild(keyboard);
  }
  return wrap;
}

function drawFile(file) {
  const box = document.createElement("div");
  box.className = "file";
  const icon = document.createElement("span");
  icon.className = "icon";
  icon.textContent = "📄";
  icon.setAttribute("aria-hidden", "true");
  const info = document.createElement("div");
  const name = document.createElement("div");
  name.className = "file-name";
  name.textContent = file.name;
  const open = document.createElement("a");
  open.href = file.url;
  open.target = "_blank";
  open.rel = "noopener";
  open.textContent = label("pg-open-file");
  const download = document.createElement("a");
  download.href = file.download;
  download.download = file.name;
  download.textContent = label("pg-download");
  info.append(name, open, download);
  box.append(icon, info);
  return box;
}

function inlineButton(phone, message, button) {
  const element = document.createElement("button");
  element.type = "button";
  element.textContent = button.text;
  if (button.url) {
    element.className = "link";
    element.addEventListener("click", () => followLink(phone, button.url, element));
  } else {
    element.addEventListener("click", () => busy(element, () => api(
      "POST", `/api/people/${phone.person.key}/press`, { message_id: message.id, data: button.data },
    )));
  }
  return element;
}

function drawKeyboard(phone, rows) {
  const box = phone.root.querySelector(".keyboard");
  const toggle = phone.root.querySelector(".keyboard-toggle");
  const signature = JSON.stringify(rows);
  if (box.dataset.signature !== signature) {
    box.dataset.signature = signature;
    phone.keyboardOpen = true; // a new keyboard from the bot opens, as in the apps
    box.replaceChildren();
    for (const row of rows) {
      const line = document.createElement("div");
      line.className = "keyboard-row";
      for (const button of row) {
        const element = document.createElement("button");
        element.type = "button";
        element.textContent = button.text;
        element.addEventListener("click", () => busy(element, () => (button.contact
          ? api("POST", `/api/people/${phone.person.key}/contact`, {})
          : api("POST", `/api/people/${phone.person.key}/send`, { text: button.text }))));
        line.appendChild(element);
      }
      box.appendChild(line);
    }
  }
  toggle.hidden = !rows.length;
  box.hidden = !rows.length || !phone.keyboardOpen;
}

function drawToasts(phone, toasts) {
  for (const toast of toasts) {
    if (phone.shownToasts.has(toast.id)) continue;
    phone.shownToasts.add(toast.id);
    if (phone.firstToastsSeen === undefined) continue; // answers from before the page was opened
    if (toast.alert) {
      phone.root.querySelector(".alert-text").textContent = toast.text;
      phone.root.querySelector(".alert").hidden = false;
    } else {
      const box = phone.root.querySelector(".toast");
      box.textContent = toast.text;
      box.hidden = false;
      clearTimeout(phone.toastTimer);
      phone.toastTimer = setTimeout(() => { box.hidden = true; }, 3000);
    }
  }
  phone.firstToastsSeen = true;
}

// Forwarding, person to person: the message shows in the other phone, with its links.
let forwarding = null;
function askForward(phone, message) {
  forwarding = { from: phone.person.key, message_id: message.id };
  const select = document.getElementById("forward-to");
  select.replaceChildren(...state.people.filter((p) => p.key !== phone.person.key)
    .map((p) => new Option(`${p.name} (${p.role_label} · ${p.platform_label})`, p.key)));
  document.getElementById("forward-dialog").showModal();
}

// A link tapped in a phone: the bot's deep links open that phone's chat as /start <payload>.
function openLink(event, phone) {
  const link = event.target.closest("a");
  if (!link || link.closest(".file")) return;
  event.preventDefault();
  followLink(phone, link.href, null);
}

function followLink(phone, url, control) {
  const match = DEEP_LINK.exec(url);
  if (match && Object.values(state.bots).includes(match[1])) {
    busy(control, () => api("POST", `/api/people/${phone.person.key}/open`, { url }));
  } else {
    window.open(url, "_blank", "noopener");
  }
}

// ------------------------------------------------------------------ the top bar

function setUp() {
  document.getElementById("hour").addEventListener("click", (e) => busy(e.currentTarget, () => api("POST", "/api/clock", { hours: 1 })));
  document.getElementById("day").addEventListener("click", (e) => busy(e.currentTarget, () => api("POST", "/api/clock", { hours: 24 })));
  document.getElementById("reset").addEventListener("click", (e) => {
    if (window.confirm(label("pg-reset-confirm"))) busy(e.currentTarget, () => api("POST", "/api/reset"));
  });

  const scenarioDialog = document.getElementById("scenario-dialog");
  document.getElementById("scenario-open").addEventListener("click", () => {
    const list = document.getElementById("scenario-list");
    list.replaceChildren();
    for (const scenario of state.scenarios) {
      const choice = document.createElement("button");
      choice.type = "button";
      choice.className = "tool scenario-choice";
      const title = document.createElement("strong");
      title.textContent = scenario.title;
      const steps = document.createElement("ol");
      for (const step of scenario.steps) {
        const item = document.createElement("li");
        item.textContent = step;
        steps.appendChild(item);
      }
      choice.append(title, steps);
      choice.addEventListener("click", () => {
        scenarioDialog.close();
        busy(document.getElementById("scenario-open"), () => api("POST", `/api/scenarios/${scenario.name}/start`));
      });
      list.appendChild(choice);
    }
    scenarioDialog.showModal();
  });
  const step = () => api("POST", "/api/scenario/step");
  document.getElementById("scenario-next").addEventListener("click", (e) => busy(e.currentTarget, step));
  document.getElementById("scenario-all").addEventListener("click", (e) => busy(e.currentTarget, async () => {
    while (state && state.scenario && !state.scenario.finished) {
      const run = await step();
      state.scenario = run;
      drawTop();
      await refresh();
    }
  }));
  document.getElementById("scenario-close").addEventListener("click", () => { document.getElementById("scenario").hidden = true; });

  const personDialog = document.getElementById("person-dialog");
  document.getElementById("person-open").addEventListener("click", () => {
    const platform = document.getElementById("person-platform");
    const role = document.getElementById("person-role");
    platform.replaceChildren(...state.platforms.map((p) => new Option(p.label, p.platform)));
    role.replaceChildren(...state.roles.map((r) => new Option(r.label, r.role, r.role === "member", r.role === "member")));
    personDialog.showModal();
  });
  document.getElementById("person-form").addEventListener("submit", (event) => {
    if (event.submitter && event.submitter.value !== "add") return;
    const form = new FormData(event.target);
    busy(null, () => api("POST", "/api/people", Object.fromEntries(form.entries())));
    event.target.reset();
  });

  document.getElementById("forward-form").addEventListener("submit", (event) => {
    if (!forwarding || (event.submitter && event.submitter.value !== "forward")) return;
    const { from, message_id } = forwarding;
    const to = document.getElementById("forward-to").value;
    busy(null, () => api("POST", `/api/people/${from}/forward`, { message_id, to }));
    forwarding = null;
  });

  const events = new EventSource("/api/events");
  events.addEventListener("changed", () => refresh());
  events.addEventListener("error", () => { document.getElementById("offline").hidden = false; });
  events.addEventListener("open", () => { document.getElementById("offline").hidden = true; refresh(); });
  refresh();
}

setUp();
