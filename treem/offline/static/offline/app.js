// treem offline: the village collaborator's app (docs/offline.md). Plain JS, no build step.
//
// What the phone keeps, in IndexedDB "treem-offline":
//   meta  — unencrypted: the device (id, secret, salt, idle_days), the key with its last use
//           (a non-extractable CryptoKey), times;
//   vault — encrypted with AES-GCM: everything about children (the village downloaded, the
//           queue of operations, the results waiting for a decision).
// The list shown is the village downloaded with the queued operations applied on top, so a
// change shows at once and disappears from the queue only once the server answered for it.
"use strict";

const T = JSON.parse(document.getElementById("offline-strings").textContent);
const API = "/api/v1/offline/";
const APP = "/offline/";
const LOGIN = "/accounts/login/?next=" + encodeURIComponent(APP);
const DB_NAME = "treem-offline";
const ITERATIONS = 310000;
const BATCH = 500;
const WAITING = new Set(["conflict", "held", "invalid"]);
const DAY = 86400000;
const FIELDS = ["birth_registered", "school_level", "school_status", "living_arrangement",
  "health_insurance", "household", "death_date", "death_cause"];
const BOOLEANS = new Set(["birth_registered", "health_insurance"]);
const DATES = new Set(["death_date", "birth_date", "happened_on", "moved_on"]);
const LISTED = { sex: "sex", ethnicity: "ethnicity", school_level: "school_level",
  school_status: "school_status", living_arrangement: "living_arrangement", death_cause: "death_cause" };
const LABELS = { full_name: T.fullName, sex: T.sex, birth_date: T.birthDate, ethnicity: T.ethnicity,
  birth_registered: T.birthRegistered, school_level: T.schoolLevel, school_status: T.schoolStatus,
  living_arrangement: T.livingArrangement, health_insurance: T.healthInsurance, household: T.household,
  death_date: T.deathDate, death_cause: T.deathCause, village: T.village, head_name: T.headName,
  address: T.address, child: T.concernChild, child_description: T.concernChildDescription,
  place: T.concernWhere, description: T.concernWhat, happened_on: T.concernWhen, forms: T.concernForms,
  urgent: T.urgent, moved_on: T.movedOn, commune: T.commune };

class NetworkError extends Error {}
class Wiped extends Error {}
class ApiError extends Error {
  constructor(status, body) {
    super((body && (body.message || body.detail)) || T.errorGeneric);
    this.status = status;
    this.body = body || {};
  }
}

const app = {
  device: null, key: null, state: null, session: null, csrf: null, hasVault: false,
  enrolling: null, sessionExpired: false, notCollaborator: false, otherUser: false, syncing: false,
  keepFlash: false,
};

// --- IndexedDB -----------------------------------------------------------------------------

let dbPromise = null;

function db() {
  if (!dbPromise) {
    dbPromise = new Promise((resolve, reject) => {
      const request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = () => {
        request.result.createObjectStore("meta");
        request.result.createObjectStore("vault");
      };
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  }
  return dbPromise;
}

async function store(name, mode, action) {
  const database = await db();
  return new Promise((resolve, reject) => {
    const transaction = database.transaction(name, mode);
    const request = action(transaction.objectStore(name));
    transaction.oncomplete = () => resolve(request ? request.result : undefined);
    transaction.onerror = () => reject(transaction.error);
    transaction.onabort = () => reject(transaction.error);
  });
}

const read = (name, key) => store(name, "readonly", (s) => s.get(key));
const write = (name, key, value) => store(name, "readwrite", (s) => s.put(value, key));
const remove = (name, key) => store(name, "readwrite", (s) => s.delete(key));

async function deleteDatabase() {
  if (dbPromise) {
    (await dbPromise).close();
    dbPromise = null;
  }
  await new Promise((resolve) => {
    const request = indexedDB.deleteDatabase(DB_NAME);
    request.onsuccess = request.onerror = request.onblocked = () => resolve();
  });
}

// --- Encryption ----------------------------------------------------------------------------

function fromBase64(text) {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

async function deriveKey(password, salt) {
  const material = await crypto.subtle.importKey(
    "raw", new TextEncoder().encode(password), "PBKDF2", false, ["deriveKey"]);
  // Not extractable: a script that reads IndexedDB can use the key while it is kept, never copy it.
  return crypto.subtle.deriveKey(
    { name: "PBKDF2", salt: fromBase64(salt), iterations: ITERATIONS, hash: "SHA-256" },
    material, { name: "AES-GCM", length: 256 }, false, ["encrypt", "decrypt"]);
}

async function seal(key, value) {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const data = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv }, key, new TextEncoder().encode(JSON.stringify(value)));
  return { iv, data };
}

async function unseal(key, box) {
  const plain = await crypto.subtle.decrypt({ name: "AES-GCM", iv: box.iv }, key, box.data);
  return JSON.parse(new TextDecoder().decode(plain));
}

async function saveState() {
  await write("vault", "state", await seal(app.key, app.state));
  await write("meta", "key", { key: app.key, used_at: Date.now() });
}

function emptyState() {
  return { username: null, village: null, queue: [], results: [], synced_at: null };
}

// --- The API -------------------------------------------------------------------------------

async function api(method, path, body) {
  const headers = { Accept: "application/json" };
  if (body !== undefined) {
    headers["Content-Type"] = "application/json";
  }
  const device = app.device ? app.device.id : app.enrolling;
  if (device) {
    headers["X-Treem-Device"] = device;
  }
  if (method !== "GET" && app.csrf) {
    headers["X-CSRFToken"] = app.csrf;
  }
  let response;
  try {
    response = await fetch(API + path, {
      method, headers, credentials: "same-origin", cache: "no-store",
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (error) {
    throw new NetworkError(String(error));
  }
  if (response.status === 410) {
    await wipe(T.wiped);
    throw new Wiped();
  }
  let data = null;
  try {
    data = await response.json();
  } catch (error) {
    // A body cut short is a failure of the network, not an answer.
    if (response.ok) {
      throw new NetworkError(String(error));
    }
  }
  if (response.status === 401) {
    // Not a wipe: everything stays; the collaborator signs in again to send it.
    app.sessionExpired = true;
    app.csrf = null;
  }
  if (!response.ok) {
    throw new ApiError(response.status, data);
  }
  return data;
}

// Asked at every contact before anything else: must this phone be wiped?
async function contact() {
  if (!app.device) {
    return false;
  }
  const answer = await api("POST", "contact", { device: app.device.id, secret: app.device.secret });
  if (answer && answer.wipe) {
    await wipe(T.wiped);
    return true;
  }
  return false;
}

async function fetchSession() {
  try {
    const session = await api("GET", "session");
    app.session = session;
    app.csrf = session.csrf_token;
    app.sessionExpired = false;
    app.notCollaborator = !session.collaborator;
    return session;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      return null;
    }
    throw error;
  }
}

async function enrol() {
  const id = crypto.randomUUID();
  app.enrolling = id;
  // A label without anything personal: the kind of phone and the day.
  const label = `${navigator.userAgentData ? navigator.userAgentData.platform : "web"} ${new Date().toISOString().slice(0, 10)}`;
  const answer = await api("POST", "devices", { id, label: label.slice(0, 60) });
  app.device = { id: answer.id || id, secret: answer.secret, salt: answer.salt,
    idle_days: answer.idle_days, enrolled_at: Date.now() };
  await write("meta", "device", app.device);
}

async function download() {
  const village = await api("GET", "village");
  const previous = new Map(app.state.results.map((result) => [result.id, result]));
  // The server's list of what waits for a person is the truth (an officer may have decided
  // some); the phone adds what it typed, to show it and to correct it.
  app.state.results = (village.pending || []).map((result) => ({
    ...result, op: (previous.get(result.id) || {}).op || result.op || null }));
  delete village.pending;
  app.state.village = village;
  app.state.downloaded_at = Date.now();
  if (village.idle_days && app.device.idle_days !== village.idle_days) {
    app.device.idle_days = village.idle_days;
    await write("meta", "device", app.device);
  }
  await saveState();
}

function wireOperation(op) {
  return { id: op.id, kind: op.kind, recorded_at: op.recorded_at, payload: op.payload };
}

async function sendQueue() {
  // In order, never reordered, never dropped: an operation leaves the queue only with its result.
  while (app.state.queue.length) {
    const batch = app.state.queue.slice(0, BATCH);
    const answer = await api("POST", "sync", { operations: batch.map(wireOperation) });
    const results = (answer && answer.results) || [];
    const byId = new Map(results.map((result) => [result.id, result]));
    const answered = batch.filter((op) => byId.has(op.id));
    const answeredIds = new Set(answered.map((op) => op.id));
    for (const op of answered) {
      const result = byId.get(op.id);
      if (result.status !== "applied") {
        app.state.results = app.state.results.filter((r) => r.id !== op.id);
        app.state.results.push({ ...result, op });
      }
    }
    app.state.queue = app.state.queue.filter((op) => !answeredIds.has(op.id));
    await saveState();
    if (answered.length < batch.length) {
      break;
    }
  }
}

async function sync() {
  if (app.syncing || !app.key || !app.device || !app.state) {
    return;
  }
  app.syncing = true;
  renderNetwork();
  flash(T.sending);
  try {
    if (await contact()) {
      return;
    }
    if (!app.csrf && !(await fetchSession())) {
      render();
      return;
    }
    if (app.notCollaborator) {
      render();
      return;
    }
    if (app.state.username && app.state.username !== app.session.username) {
      app.otherUser = true;
      render();
      return;
    }
    app.state.username = app.session.username;
    await sendQueue();
    await download();
    app.state.synced_at = Date.now();
    await saveState();
    flash(T.sent);
  } catch (error) {
    failed(error);
  } finally {
    app.syncing = false;
    if (app.state) {
      refresh();
    }
  }
}

function failed(error) {
  if (error instanceof Wiped) {
    return;
  }
  if (error instanceof NetworkError) {
    flash(error.message === T.needsNetwork ? T.needsNetwork : T.sendFailed, true);
  } else if (error instanceof ApiError && error.status === 401) {
    flash(T.signInAgain, true);
  } else {
    flash(error.message || T.errorGeneric, true);
  }
}

// --- Wipe and sign out ---------------------------------------------------------------------

async function forgetEverything() {
  await deleteDatabase();
  if (window.caches) {
    const names = await caches.keys();
    await Promise.all(names.filter((name) => name.startsWith("treem-offline")).map((name) => caches.delete(name)));
  }
  if (navigator.serviceWorker) {
    const registrations = await navigator.serviceWorker.getRegistrations();
    await Promise.all(registrations.map((registration) => registration.unregister()));
  }
  Object.assign(app, { device: null, key: null, state: null, session: null, csrf: null, hasVault: false });
}

async function wipe(message) {
  await forgetEverything();
  sessionStorage.setItem("treem-offline-message", message);
  location.replace(APP);
}

async function signOut() {
  const unsent = app.state ? app.state.queue.length : 0;
  const question = unsent ? T.signOutUnsent.replace("{n}", unsent) : T.signOutConfirm;
  if (!window.confirm(question)) {
    return;
  }
  if (navigator.onLine) {
    try {
      if (!app.csrf) {
        await fetchSession();
      }
      await fetch("/accounts/logout/", { method: "POST", credentials: "same-origin",
        headers: app.csrf ? { "X-CSRFToken": app.csrf } : {} });
    } catch (error) {
      // Offline or refused: the phone is cleared all the same.
    }
  }
  await forgetEverything();
  location.replace(APP);
}

// --- The local copy: downloaded village + queued operations -------------------------------

function localView() {
  const village = app.state.village || { villages: [], households: [], children: [], lists: {} };
  const children = new Map(village.children.map((child) => [child.id, { ...child }]));
  const households = new Map(village.households.map((household) => [household.id, { ...household }]));
  const waiting = new Set();
  for (const op of app.state.queue) {
    const p = op.payload;
    if (op.kind === "household_create") {
      households.set(`op:${op.id}`, { id: `op:${op.id}`, v: null, ...p });
      waiting.add(`op:${op.id}`);
    } else if (op.kind === "child_register") {
      children.set(`op:${op.id}`, { id: `op:${op.id}`, v: null, health_insurance: null,
        death_date: null, death_cause: "", ...p });
      waiting.add(`op:${op.id}`);
    } else if (op.kind === "child_update" && children.has(p.child)) {
      Object.assign(children.get(p.child), p.changes);
      waiting.add(p.child);
    } else if (op.kind === "child_move" && children.has(p.child)) {
      const child = children.get(p.child);
      if (p.village && village.villages.some((v) => v.code === p.village)) {
        child.village = p.village;
      } else {
        child.moved = true;
      }
      waiting.add(p.child);
    }
  }
  return { village, children, households, waiting };
}

function queueOperation(kind, payload, summary) {
  const op = { id: crypto.randomUUID(), kind, recorded_at: new Date().toISOString(), payload, summary };
  app.state.queue.push(op);
  return op;
}

async function record(kind, payload, summary) {
  const op = queueOperation(kind, payload, summary);
  await saveState();
  flash(T.saved);
  app.keepFlash = true;  // shown on the list the form returns to
  return op;
}

// --- Small DOM helpers ---------------------------------------------------------------------

function h(tag, attributes, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === null || value === undefined || value === false) {
      continue;
    }
    if (name.startsWith("on")) {
      element.addEventListener(name.slice(2), value);
    } else if (value === true) {
      element.setAttribute(name, "");
    } else {
      element.setAttribute(name, String(value));
    }
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined && child !== false) {
      element.append(child instanceof Node ? child : String(child));
    }
  }
  return element;
}

function fold(text) {
  return String(text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "")
    .replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase().trim();
}

function formatDate(iso) {
  if (!iso) {
    return "";
  }
  const [year, month, day] = String(iso).slice(0, 10).split("-");
  return `${day}/${month}/${year}`;
}

function formatTime(value) {
  return value ? new Date(value).toLocaleString("vi-VN") : T.never;
}

function listOf(name) {
  const lists = (app.state.village && app.state.village.lists) || {};
  return lists[name] || [];
}

function labelOf(list, value) {
  const found = listOf(list).find(([code]) => code === value);
  return found ? found[1] : value;
}

function show(field, value) {
  if (value === null || value === undefined || value === "") {
    return "—";
  }
  if (BOOLEANS.has(field) || typeof value === "boolean") {
    return value ? T.yes : T.no;
  }
  if (LISTED[field]) {
    return labelOf(LISTED[field], value);
  }
  if (field === "household") {
    const household = localView().households.get(value);
    return household ? household.head_name : value;
  }
  if (DATES.has(field)) {
    return formatDate(value);
  }
  return String(value);
}

function flash(text, error = false) {
  const box = document.getElementById("flash");
  box.replaceChildren(text ? h("li", { class: error ? "error" : "" }, text) : "");
}

function field(label, control, errors) {
  const id = control.id || `f-${control.name}`;
  control.id = id;
  return h("div", { class: errors && errors.length ? "field has-error" : "field" },
    h("label", { for: id }, label), control,
    (errors || []).map((message) => h("p", { class: "error" }, message)));
}

function select(name, options, value, { blank = T.choose, required = false } = {}) {
  return h("select", { name, required },
    blank === null ? null : h("option", { value: "" }, blank),
    options.map(([code, label]) => h("option", { value: code, selected: code === value }, label)));
}

// Yes or no; "not known" only while nothing was recorded (the register keeps yes or no).
function triState(name, value) {
  const unknown = value === null || value === undefined;
  return h("select", { name },
    unknown ? h("option", { value: "", selected: true }, T.unknown) : null,
    h("option", { value: "true", selected: value === true }, T.yes),
    h("option", { value: "false", selected: value === false }, T.no));
}

function input(name, value, attributes = {}) {
  return h("input", { name, value: value === null || value === undefined ? "" : value, type: "text", ...attributes });
}

function readForm(form) {
  const data = {};
  for (const element of form.elements) {
    if (!element.name || element.type === "submit") {
      continue;
    }
    if (element.type === "checkbox") {
      if (element.dataset.many) {
        data[element.name] = data[element.name] || [];
        if (element.checked) {
          data[element.name].push(element.value);
        }
      } else {
        data[element.name] = element.checked;
      }
    } else if (element.type === "radio") {
      if (element.checked) {
        data[element.name] = element.value;
      }
    } else if (BOOLEANS.has(element.name)) {
      data[element.name] = element.value === "" ? null : element.value === "true";
    } else if (DATES.has(element.name) || element.name === "household" || element.name === "child") {
      data[element.name] = element.value || null;
    } else {
      data[element.name] = element.value.trim();
    }
  }
  return data;
}

function same(a, b) {
  const empty = (value) => value === null || value === undefined || value === "";
  return (empty(a) && empty(b)) || a === b;
}

function go(route) {
  location.hash = route;
}

// --- Screens -------------------------------------------------------------------------------

function renderNetwork() {
  const badge = document.getElementById("network");
  const waiting = app.state ? app.state.queue.length : 0;
  badge.textContent = (navigator.onLine ? T.online : T.offline) + (waiting ? ` · ${waiting} ${T.waiting}` : "");
  badge.className = navigator.onLine ? "network on" : "network off";
}

function screen(...children) {
  const root = document.getElementById("app");
  root.replaceChildren(...children.flat(Infinity).filter(Boolean));
  renderNetwork();
}

// Re-drawn after a sync or a change of network only where no form is being filled in (a
// re-draw would lose what was typed); elsewhere only the network's badge changes.
function refresh() {
  const route = (location.hash.slice(1) || "/").split("?")[0];
  if (!app.state || !app.state.village || /^\/(queue|results)?$/.test(route)) {
    render();
  } else {
    renderNetwork();
  }
}

function render() {
  if (!app.device) {
    if (!navigator.onLine) {
      return screen(h("div", { class: "card narrow" }, h("p", {}, T.needNetworkFirst)));
    }
    if (app.notCollaborator) {
      return screen(h("div", { class: "card narrow" }, h("p", {}, T.notCollaborator)));
    }
    if (app.session) {
      return screen(h("p", { class: "muted" }, T.enrolling));
    }
    return screen(signInCard(T.signInNeeded));
  }
  if (!app.key) {
    return screen(passwordCard());
  }
  if (app.otherUser) {
    return screen(h("div", { class: "card narrow" }, h("p", {}, T.otherUser), signOutButton()));
  }
  if (!app.state.village) {
    return screen(
      app.sessionExpired ? signInCard(T.signInAgain) : null,
      h("div", { class: "card narrow" }, h("p", {}, navigator.onLine ? T.downloading : T.needNetworkFirst)),
      signOutButton());
  }
  const [route, query] = (location.hash.slice(1) || "/").split("?");
  const parts = route.split("/").filter(Boolean);
  const params = new URLSearchParams(query || "");
  const banner = app.sessionExpired ? signInCard(T.signInAgain) : null;
  if (parts[0] === "child" && parts[1] && parts[2] === "move") {
    return screen(banner, moveScreen(decodeURIComponent(parts[1])));
  }
  if (parts[0] === "child" && parts[1]) {
    return screen(banner, childScreen(decodeURIComponent(parts[1])));
  }
  if (parts[0] === "register") {
    return screen(banner, registerScreen(params.get("fix")));
  }
  if (parts[0] === "household") {
    return screen(banner, householdScreen(params.get("fix")));
  }
  if (parts[0] === "concern") {
    return screen(banner, concernScreen(params.get("fix")));
  }
  if (parts[0] === "queue") {
    return screen(banner, queueScreen());
  }
  if (parts[0] === "results") {
    return screen(banner, resultsScreen());
  }
  return screen(banner, listScreen());
}

function signInCard(text) {
  return h("div", { class: "card narrow" }, h("p", {}, text),
    h("a", { class: "button primary", href: LOGIN }, T.signIn));
}

function signOutButton() {
  return h("p", {}, h("button", { type: "button", class: "danger", onclick: signOut }, T.signOut));
}

function passwordCard() {
  const first = !app.hasVault;
  const error = h("p", { class: "error", role: "alert" });
  const password = h("input", { type: "password", name: "password", autocomplete: "current-password", required: true });
  const confirm = first ? h("input", { type: "password", name: "confirm", autocomplete: "off", required: true }) : null;
  const button = h("button", { type: "submit", class: "primary" }, T.unlock);
  const form = h("form", {
    class: "card narrow",
    onsubmit: async (event) => {
      event.preventDefault();
      error.textContent = "";
      if (first && password.value !== confirm.value) {
        error.textContent = T.passwordMismatch;
        return;
      }
      button.disabled = true;
      button.textContent = T.working;
      try {
        await unlock(password.value);
      } catch (failure) {
        error.textContent = failure.message;
        button.disabled = false;
        button.textContent = T.unlock;
      }
    },
  },
  h("h1", {}, T.passwordTitle),
  h("p", { class: "muted" }, first ? T.passwordFirstHelp : T.passwordHelp),
  field(T.password, password),
  first ? field(T.passwordConfirm, confirm) : null,
  error, button);
  return [form, signOutButton()];
}

async function unlock(password) {
  const key = await deriveKey(password, app.device.salt);
  const box = await read("vault", "state");
  if (box) {
    try {
      app.state = await unseal(key, box);
    } catch (failure) {
      // AES-GCM refuses a wrong key: that is how a wrong password shows, offline too.
      throw new Error(T.passwordWrong);
    }
  } else {
    app.state = emptyState();
  }
  app.key = key;
  await saveState();
  app.hasVault = true;
  render();
  if (navigator.onLine) {
    await connect({ contacted: true });
  }
}

function menu() {
  const results = app.state.results.filter((r) => WAITING.has(r.status)).length;
  return h("nav", { class: "actions", "aria-label": T.appName },
    h("a", { class: "button primary", href: "#/register" }, T.registerChild),
    h("a", { class: "button", href: "#/household" }, T.registerHousehold),
    h("a", { class: "button concern", href: "#/concern" }, T.reportConcern),
    h("a", { class: "button", href: "#/queue" }, `${T.queue} (${app.state.queue.length})`),
    h("a", { class: "button", href: "#/results" }, `${T.results} (${results})`),
    h("button", { type: "button", disabled: app.syncing || !navigator.onLine, onclick: () => sync() }, T.sendNow),
    h("button", { type: "button", class: "danger", onclick: signOut }, T.signOut));
}

function listScreen() {
  const view = localView();
  const villages = new Map(view.village.villages.map((v) => [v.code, v.name]));
  const children = [...view.children.values()].filter((child) => !child.moved)
    .sort((a, b) => fold(a.full_name).localeCompare(fold(b.full_name)));
  const list = h("ul", { class: "list children" });
  const fill = (text) => {
    const wanted = fold(text);
    const shown = children.filter((child) => !wanted || fold(child.full_name).includes(wanted));
    list.replaceChildren(...(shown.length ? shown.map((child) => h("li", {},
      h("a", { href: `#/child/${encodeURIComponent(child.id)}`, class: "child" },
        h("span", { class: "name" }, child.full_name || T.unnamed),
        h("span", { class: "muted" }, [formatDate(child.birth_date), villages.size > 1 ? villages.get(child.village) : null].filter(Boolean).join(" · ")),
        view.waiting.has(child.id) ? h("span", { class: "waiting" }, T.waiting) : null)))
      : [h("li", { class: "muted" }, T.noChildren)]));
  };
  fill("");
  const search = h("input", { type: "search", id: "search", autocomplete: "off", placeholder: T.searchName,
    oninput: (event) => fill(event.target.value) });
  return [
    h("h1", {}, [...villages.values()].join(", ") || T.children),
    h("p", { class: "muted small" }, `${T.lastSync}: ${formatTime(app.state.synced_at || app.state.downloaded_at)}`),
    menu(),
    h("h2", {}, `${T.children} (${children.length})`),
    h("div", { class: "search" }, h("label", { for: "search", class: "visually-hidden" }, T.searchName),
      search),
    list,
  ];
}

function backLink() {
  return h("p", { class: "breadcrumbs" }, h("a", { href: "#/" }, "← " + T.back));
}

function householdOptions(view, villageCode) {
  return [...view.households.values()].filter((household) => !villageCode || household.village === villageCode)
    .map((household) => [household.id, [household.head_name, household.address].filter(Boolean).join(" — ")]);
}

function childScreen(id) {
  const view = localView();
  const child = view.children.get(id);
  if (!child) {
    return [backLink(), h("p", {}, T.noChildren)];
  }
  const form = h("form", {
    class: "card",
    onsubmit: async (event) => {
      event.preventDefault();
      const data = readForm(form);
      const changes = {};
      const base = {};
      for (const name of FIELDS) {
        if (name in data && !same(data[name], child[name])) {
          changes[name] = data[name];
          base[name] = child[name] === undefined ? null : child[name];
        }
      }
      if (!Object.keys(changes).length) {
        go("#/");
        return;
      }
      // The version downloaded; a child registered on this phone is read at its first version.
      const original = app.state.village.children.find((c) => c.id === id);
      await record("child_update", { child: id, base_version: original ? original.v : 1, base, changes },
        child.full_name);
      go("#/");
    },
  },
  h("h2", {}, T.statuses),
  field(T.birthRegistered, triState("birth_registered", child.birth_registered)),
  field(T.schoolLevel, select("school_level", listOf("school_level"), child.school_level)),
  field(T.schoolStatus, select("school_status", listOf("school_status"), child.school_status)),
  field(T.livingArrangement, select("living_arrangement", listOf("living_arrangement"), child.living_arrangement)),
  field(T.healthInsurance, triState("health_insurance", child.health_insurance)),
  field(T.household, select("household", householdOptions(view, child.village), child.household, { blank: T.noHousehold })),
  field(T.deathDate, input("death_date", child.death_date, { type: "date" })),
  field(T.deathCause, select("death_cause", listOf("death_cause"), child.death_cause)),
  h("button", { type: "submit", class: "primary" }, T.save));
  return [
    backLink(),
    h("h1", {}, child.full_name || T.unnamed, view.waiting.has(id) ? h("span", { class: "waiting" }, T.waiting) : null),
    h("dl", { class: "facts" },
      h("dt", {}, T.birthDate), h("dd", {}, formatDate(child.birth_date)),
      h("dt", {}, T.sex), h("dd", {}, show("sex", child.sex)),
      h("dt", {}, T.ethnicity), h("dd", {}, show("ethnicity", child.ethnicity))),
    form,
    h("p", {}, h("a", { class: "button", href: `#/child/${encodeURIComponent(id)}/move` }, T.move)),
  ];
}

function moveScreen(id) {
  const view = localView();
  const child = view.children.get(id);
  if (!child) {
    return [backLink(), h("p", {}, T.noChildren)];
  }
  const here = view.village.villages.find((v) => v.code === child.village);
  // The commune's other villages (if the download lists them), else the collaborator's others.
  const villages = (listOf("villages").length ? listOf("villages")
    : view.village.villages.map((v) => [v.code, v.name])).filter(([code]) => code !== child.village);
  const communes = listOf("communes").filter(([code]) => !here || code !== here.commune.code);
  const error = h("p", { class: "error", role: "alert" });
  const form = h("form", {
    class: "card",
    onsubmit: async (event) => {
      event.preventDefault();
      const data = readForm(form);
      const payload = { child: id, base_version: child.v || 1, moved_on: data.moved_on };
      if (data.to === "village" && data.village) {
        payload.village = data.village;
      } else if (data.to === "commune" && data.commune) {
        payload.commune = data.commune;
      } else {
        error.textContent = T.required;
        return;
      }
      if (!data.moved_on) {
        error.textContent = T.required;
        return;
      }
      await record("child_move", payload, child.full_name);
      go("#/");
    },
  },
  h("p", { class: "muted" }, T.moveHelp),
  h("fieldset", {}, h("legend", {}, T.moveTo),
    villages.length ? h("label", { class: "inline-check" }, h("input", { type: "radio", name: "to", value: "village", checked: true }), T.moveVillage) : null,
    villages.length ? field(T.village, select("village", villages, null)) : null,
    h("label", { class: "inline-check" }, h("input", { type: "radio", name: "to", value: "commune", checked: !villages.length }), T.moveCommune),
    field(T.commune, select("commune", communes, null))),
  field(T.movedOn, input("moved_on", new Date().toISOString().slice(0, 10), { type: "date", required: true })),
  error,
  h("button", { type: "submit", class: "primary" }, T.save));
  return [backLink(), h("h1", {}, `${T.move}: ${child.full_name}`), form];
}

function fixOf(resultId) {
  return resultId ? app.state.results.find((result) => result.id === resultId) : null;
}

// A form sent: a new operation queued, or the correction of one the server refused (sent
// as a decision on it, its id kept, so the operations that name it follow; needs a network).
async function submitForm(result, kind, data, summary) {
  if (!result) {
    await record(kind, data, summary);
    go("#/");
    return;
  }
  try {
    const answer = await decide(result, { payload: data });
    app.state.results = app.state.results.filter((r) => r.id !== result.id);
    const op = { ...(result.op || { id: result.id, kind, recorded_at: result.recorded_at }), payload: data, summary };
    if (answer && WAITING.has(answer.status)) {
      app.state.results.push({ ...answer, op });
      await saveState();
      render();
      return;
    }
    // What was held for this one (a child in the household just corrected) goes again.
    for (const held of app.state.results.filter((r) => r.status === "held" && r.op)) {
      if (!app.state.queue.some((op) => op.id === held.op.id)) {
        app.state.queue.push(held.op);
      }
    }
    await saveState();
    go("#/results");
    await sync();
  } catch (error) {
    failed(error);
  }
}

function errorsOf(result, name) {
  return result && result.errors ? result.errors[name] : null;
}

function villageField(view, value, result) {
  const villages = view.village.villages.map((v) => [v.code, v.name]);
  return field(T.village, select("village", villages, value || (villages[0] || [])[0], { blank: null, required: true }),
    errorsOf(result, "village"));
}

function registerScreen(fixId) {
  const view = localView();
  const result = fixOf(fixId);
  const old = (result && result.op && result.op.payload) || {};
  const form = h("form", {
    class: "card",
    onsubmit: async (event) => {
      event.preventDefault();
      await submitForm(result, "child_register", readForm(form), readForm(form).full_name);
    },
  },
  result ? h("p", { class: "notice" }, result.message || T.status_invalid) : null,
  villageField(view, old.village, result),
  field(T.fullName, input("full_name", old.full_name, { required: true, autocomplete: "off" }), errorsOf(result, "full_name")),
  field(T.sex, select("sex", listOf("sex"), old.sex, { required: true }), errorsOf(result, "sex")),
  field(T.birthDate, input("birth_date", old.birth_date, { type: "date", required: true }), errorsOf(result, "birth_date")),
  field(T.ethnicity, select("ethnicity", listOf("ethnicity"), old.ethnicity), errorsOf(result, "ethnicity")),
  field(T.household, select("household", householdOptions(view, null), old.household, { blank: T.noHousehold }), errorsOf(result, "household")),
  field(T.birthRegistered, triState("birth_registered", old.birth_registered), errorsOf(result, "birth_registered")),
  field(T.schoolLevel, select("school_level", listOf("school_level"), old.school_level, { required: true }), errorsOf(result, "school_level")),
  field(T.schoolStatus, select("school_status", listOf("school_status"), old.school_status, { required: true }), errorsOf(result, "school_status")),
  field(T.livingArrangement, select("living_arrangement", listOf("living_arrangement"), old.living_arrangement, { required: true }), errorsOf(result, "living_arrangement")),
  // A child the server thinks is already on the register: the collaborator says it is another.
  result ? h("label", { class: "inline-check" }, h("input", { type: "checkbox", name: "confirm_new", checked: !!old.confirm_new }), T.confirmNew) : null,
  h("button", { type: "submit", class: "primary" }, T.save));
  return [backLink(), h("h1", {}, T.registerChild), form];
}

function householdScreen(fixId) {
  const view = localView();
  const result = fixOf(fixId);
  const old = (result && result.op && result.op.payload) || {};
  const form = h("form", {
    class: "card",
    onsubmit: async (event) => {
      event.preventDefault();
      await submitForm(result, "household_create", readForm(form), readForm(form).head_name);
    },
  },
  result ? h("p", { class: "notice" }, result.message || T.status_invalid) : null,
  villageField(view, old.village, result),
  field(T.headName, input("head_name", old.head_name, { required: true, autocomplete: "off" }), errorsOf(result, "head_name")),
  field(T.address, input("address", old.address, { autocomplete: "off" }), errorsOf(result, "address")),
  h("button", { type: "submit", class: "primary" }, T.save));
  return [backLink(), h("h1", {}, T.registerHousehold), form];
}

function concernScreen(fixId) {
  const view = localView();
  const result = fixOf(fixId);
  const old = (result && result.op && result.op.payload) || {};
  const children = [...view.children.values()].filter((child) => !child.moved)
    .sort((a, b) => fold(a.full_name).localeCompare(fold(b.full_name)))
    .map((child) => [child.id, `${child.full_name} — ${formatDate(child.birth_date)}`]);
  const forms = listOf("concern_form");
  const form = h("form", {
    class: "card",
    onsubmit: async (event) => {
      event.preventDefault();
      const data = readForm(form);
      if (!data.child && !data.child_description) {
        flash(`${T.concernChildDescription}: ${T.required}`, true);
        return;
      }
      const name = data.child ? (view.children.get(data.child) || {}).full_name : data.child_description;
      await submitForm(result, "concern_record", data, name);
    },
  },
  result ? h("p", { class: "notice" }, result.message || T.status_invalid) : null,
  field(T.concernChild, select("child", children, old.child, { blank: T.noHousehold }), errorsOf(result, "child")),
  field(T.concernChildDescription, h("textarea", { name: "child_description", rows: 2 }, old.child_description || ""), errorsOf(result, "child_description")),
  field(T.concernWhat, h("textarea", { name: "description", rows: 4, required: true }, old.description || ""), errorsOf(result, "description")),
  field(T.concernWhere, listOf("concern_place").length
    ? select("place", listOf("concern_place"), old.place, { required: true })
    : input("place", old.place, { required: true, autocomplete: "off" }), errorsOf(result, "place")),
  field(T.concernWhen, input("happened_on", old.happened_on, { type: "date" }), errorsOf(result, "happened_on")),
  h("fieldset", {}, h("legend", {}, T.concernForms),
    forms.map(([code, label]) => h("label", { class: "inline-check" },
      h("input", { type: "checkbox", name: "forms", value: code, "data-many": "1", checked: (old.forms || []).includes(code) }), label)),
    (errorsOf(result, "forms") || []).map((message) => h("p", { class: "error" }, message))),
  h("label", { class: "inline-check urgent" }, h("input", { type: "checkbox", name: "urgent", checked: !!old.urgent }), T.urgent),
  h("button", { type: "submit", class: "primary" }, T.send));
  return [
    backLink(),
    h("h1", {}, T.reportConcern),
    h("p", { class: "emergency", role: "note" }, T.emergency, " ", h("a", { href: "tel:111", class: "button primary" }, "☎ 111")),
    form,
  ];
}

function queueScreen() {
  const queue = app.state.queue;
  return [
    backLink(),
    h("h1", {}, T.queue),
    h("p", {}, h("button", { type: "button", class: "primary", disabled: app.syncing || !navigator.onLine, onclick: () => sync() }, T.sendNow)),
    queue.length
      ? h("ol", { class: "list queue" }, queue.map((op) => h("li", {},
        h("strong", {}, T[`kind_${op.kind}`] || op.kind), op.summary ? ` — ${op.summary}` : "",
        h("span", { class: "muted block" }, `${T.recordedAt} ${formatTime(op.recorded_at)}`))))
      : h("p", { class: "muted" }, T.queueEmpty),
  ];
}

async function decide(result, body) {
  if (!navigator.onLine) {
    throw new NetworkError(T.needsNetwork);
  }
  if (!app.csrf && !(await fetchSession())) {
    throw new ApiError(401, { message: T.signInAgain });
  }
  return api("POST", `operations/${encodeURIComponent(result.id)}/decision`, body);
}

async function decideAndRefresh(result, body) {
  try {
    await decide(result, body);
    app.state.results = app.state.results.filter((r) => r.id !== result.id);
    await saveState();
    await download();
    flash(T.sent);
  } catch (error) {
    if (error instanceof NetworkError) {
      flash(T.needsNetwork, true);
    } else {
      failed(error);
    }
  }
  render();
}

function fixRoute(result) {
  const kind = result.op ? result.op.kind : result.kind;
  const routes = { child_register: "#/register", household_create: "#/household", concern_record: "#/concern" };
  return routes[kind] ? `${routes[kind]}?fix=${encodeURIComponent(result.id)}` : null;
}

// A held operation sent again as it was (same id): one held for an earlier operation of this
// phone is applied once that one is.
async function resend(result) {
  if (!app.state.queue.some((op) => op.id === result.op.id)) {
    app.state.queue.push(result.op);
  }
  app.state.results = app.state.results.filter((r) => r.id !== result.id);
  await saveState();
  if (navigator.onLine) {
    await sync();
  } else {
    render();
  }
}

function resultCard(result) {
  const kind = (result.op && result.op.kind) || result.kind;
  const parts = [
    h("h2", {}, T[`kind_${kind}`] || kind || "", result.op && result.op.summary ? ` — ${result.op.summary}` : ""),
    h("p", {}, h("strong", {}, T[`status_${result.status}`] || result.status),
      h("span", { class: "muted block" }, `${T.recordedAt} ${formatTime(result.recorded_at || (result.op && result.op.recorded_at))}`)),
    result.message ? h("p", {}, result.message) : null,
  ];
  const errors = Object.entries(result.errors || {});
  if (errors.length) {
    parts.push(h("ul", { class: "errors" }, errors.map(([name, messages]) =>
      h("li", {}, `${LABELS[name] || name}: ${[].concat(messages).join(" ")}`))));
  }
  if (result.status === "conflict" && (result.conflicts || []).length) {
    const form = h("form", {
      onsubmit: async (event) => {
        event.preventDefault();
        const data = readForm(form);
        const fields = {};
        for (const conflict of result.conflicts) {
          fields[conflict.field] = data[`choice-${conflict.field}`] || "mine";
        }
        await decideAndRefresh(result, { fields });
      },
    }, result.conflicts.map((conflict) => h("fieldset", { class: "field conflict-choice" },
      h("legend", {}, conflict.label || LABELS[conflict.field] || conflict.field),
      h("p", { class: "muted" }, `${T.base}: ${show(conflict.field, conflict.base)} · ${T.changedBy}: ${conflict.by || "—"}, ${formatTime(conflict.at)}`),
      h("div", {},
        h("label", {}, h("input", { type: "radio", name: `choice-${conflict.field}`, value: "mine", checked: true }),
          `${T.mine}: ${conflict.mine_text || show(conflict.field, conflict.mine)}`),
        h("label", {}, h("input", { type: "radio", name: `choice-${conflict.field}`, value: "theirs" }),
          `${T.theirs}: ${conflict.theirs_text || show(conflict.field, conflict.theirs)}`)))),
    h("button", { type: "submit", class: "primary", disabled: !navigator.onLine }, T.decide));
    parts.push(form);
  }
  if (result.status === "held" || result.status === "invalid") {
    const route = fixRoute(result);
    if (result.status === "invalid" && route && result.op) {
      parts.push(h("p", {}, h("a", { class: "button primary", href: route }, T.correct)));
    }
    if (result.status === "held" && result.op) {
      parts.push(h("p", {}, h("button", { type: "button", class: "primary", onclick: () => resend(result) }, T.resend)));
    }
    const reason = h("input", { name: "reason", type: "text", required: true, autocomplete: "off" });
    const form = h("form", {
      onsubmit: async (event) => {
        event.preventDefault();
        if (!reason.value.trim()) {
          flash(T.reasonNeeded, true);
          return;
        }
        await decideAndRefresh(result, { dismiss: true, reason: reason.value.trim() });
      },
    }, field(T.dismissReason, reason), h("button", { type: "submit", class: "danger" }, T.dismiss));
    parts.push(form);
  }
  return h("article", { class: "card result", "data-status": result.status }, parts);
}

function resultsScreen() {
  const results = app.state.results.filter((r) => WAITING.has(r.status));
  return [
    backLink(),
    h("h1", {}, T.results),
    navigator.onLine ? null : h("p", { class: "notice" }, T.needsNetwork),
    // Sending also brings back what the commune officer decided meanwhile.
    h("p", {}, h("button", { type: "button", disabled: app.syncing || !navigator.onLine, onclick: () => sync() }, T.sendNow)),
    results.length ? results.map(resultCard) : h("p", { class: "muted" }, T.resultsEmpty),
  ];
}

// --- Start ---------------------------------------------------------------------------------

async function connect({ contacted = false } = {}) {
  try {
    if (!contacted && (await contact())) {
      return;
    }
    const session = await fetchSession();
    if (!session || app.notCollaborator) {
      render();
      return;
    }
    if (!app.device) {
      render();
      await enrol();
    }
    if (!app.key) {
      render();
      return;
    }
    await sync();
  } catch (error) {
    failed(error);
    render();
  }
}

async function start() {
  const message = sessionStorage.getItem("treem-offline-message");
  if (message) {
    sessionStorage.removeItem("treem-offline-message");
  }
  if (navigator.serviceWorker) {
    const script = document.currentScript || document.querySelector("script[data-service-worker]");
    navigator.serviceWorker.register(script.dataset.serviceWorker, { scope: APP }).catch(() => {});
  }
  app.device = (await read("meta", "device")) || null;
  if (app.device) {
    app.hasVault = Boolean(await read("vault", "state"));
    const kept = await read("meta", "key");
    const idle = (app.device.idle_days || 30) * DAY;
    if (kept && Date.now() - kept.used_at > idle) {
      // Unused too long: the key goes, and the password is asked again.
      await remove("meta", "key");
    } else if (kept && app.hasVault) {
      try {
        app.state = await unseal(kept.key, await read("vault", "state"));
        app.key = kept.key;
        await write("meta", "key", { key: app.key, used_at: Date.now() });
      } catch (error) {
        await remove("meta", "key");
      }
    }
  }
  // The first screen comes from the phone; the network is asked afterwards.
  render();
  if (message) {
    flash(message, true);
  }
  if (navigator.onLine) {
    await connect();
  }
}

window.addEventListener("hashchange", () => {
  if (!app.keepFlash) {
    flash("");
  }
  app.keepFlash = false;
  render();
  document.getElementById("main").focus();
  window.scrollTo(0, 0);
});
window.addEventListener("online", () => {
  refresh();
  if (app.key) {
    sync();
  } else {
    connect();
  }
});
window.addEventListener("offline", refresh);

start();
