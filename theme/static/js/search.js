// Search for the archive, on Pagefind's JavaScript API. Runs only on /search/;
// everything it loads comes from this site. Results, filters and the query live in
// the URL (?q=...&company=...), so a search can be bookmarked and shared.
const form = document.querySelector('form[role="search"]');
const input = document.getElementById("search-query");
const status = document.querySelector('[role="status"]');
const list = document.querySelector(".search-results");
const selects = [...form.querySelectorAll("select[data-filter]")];
const SHOWN = 25;
// The words shown, in the page's language (search.html writes them as JSON data).
const MESSAGES = JSON.parse(document.getElementById("search-messages").textContent);
const plurals = new Intl.PluralRules(document.documentElement.lang || "en");

function say(message, values) {
  // A message's form for values.count (when it has plural forms), its {names} filled in.
  const text = typeof message === "string" ? message : message[plurals.select(values.count)] || message.other;
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
}

function statusText(count, query) {
  const values = { count, query, shown: SHOWN };
  if (!count) return say(query ? MESSAGES.noneFor : MESSAGES.none, values);
  if (count > SHOWN) return say(query ? MESSAGES.foundManyFor : MESSAGES.foundMany, values);
  return say(query ? MESSAGES.foundFor : MESSAGES.found, values);
}

function excerpt(html) {
  // Pagefind marks matches with <mark>; keep those, and only text otherwise.
  const template = document.createElement("template");
  template.innerHTML = html;
  const paragraph = document.createElement("p");
  for (const node of template.content.childNodes) {
    if (node.nodeName === "MARK") {
      const mark = document.createElement("mark");
      mark.textContent = node.textContent;
      paragraph.append(mark);
    } else {
      paragraph.append(node.textContent);
    }
  }
  return paragraph;
}

function resultItem(data) {
  // The same markup as a story card in the site's story lists (partials/story_list.html).
  const item = document.createElement("li");
  const card = document.createElement("article");
  const header = document.createElement("header");
  const heading = document.createElement("h2");
  const link = document.createElement("a");
  link.href = data.url;
  link.textContent = data.meta.title || data.url;
  heading.append(link);
  header.append(heading);
  if (data.meta.date) {
    const dateline = document.createElement("p");
    dateline.textContent = data.meta.date;
    header.append(dateline);
  }
  card.append(header, excerpt(data.excerpt));
  item.append(card);
  return item;
}

function chosenFilters() {
  const filters = {};
  for (const select of selects) {
    if (select.value) filters[select.dataset.filter] = select.value;
  }
  return filters;
}

function remember(query, filters) {
  const params = new URLSearchParams();
  if (query) params.set("q", query);
  for (const [name, value] of Object.entries(filters)) params.set(name, value);
  const search = params.toString();
  history.replaceState(null, "", search ? `?${search}` : location.pathname);
}

function fillFilters(available, params) {
  for (const select of selects) {
    const values = Object.entries(available[select.dataset.filter] || {});
    values.sort(([a], [b]) => (select.dataset.filter === "year" ? b.localeCompare(a) : a.localeCompare(b)));
    for (const [value, count] of values) {
      select.append(new Option(`${value} (${count})`, value));
    }
    select.value = params.get(select.dataset.filter) || "";
  }
  form.querySelector("fieldset").hidden = false;
}

async function main() {
  // The index comes in shards (a year of stories each): the first is loaded, the others
  // are merged into it, and a search runs over all of them.
  const pagefind = await import(form.dataset.index);
  const baseUrl = new URL(form.dataset.base, location.href).pathname;
  await pagefind.options({ baseUrl });
  for (const shard of form.dataset.shards.split(" ").filter(Boolean)) {
    await pagefind.mergeIndex(shard, { baseUrl });
  }
  const params = new URLSearchParams(location.search);
  input.value = params.get("q") || "";
  fillFilters(await pagefind.filters(), params);

  let latest = 0;
  async function run() {
    const query = input.value.trim();
    const filters = chosenFilters();
    remember(query, filters);
    const ticket = ++latest;
    if (!query && !Object.keys(filters).length) {
      list.replaceChildren();
      status.textContent = "";
      return;
    }
    const found = await pagefind.search(query || null, { filters, sort: query ? undefined : { date: "desc" } });
    const shown = await Promise.all(found.results.slice(0, SHOWN).map((result) => result.data()));
    if (ticket !== latest) return; // a newer search has started
    list.replaceChildren(...shown.map(resultItem));
    status.textContent = statusText(found.results.length, query);
  }

  let timer;
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(run, 250);
  });
  for (const select of selects) select.addEventListener("change", run);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    run();
  });
  await run();
}

main().catch((error) => {
  status.textContent = MESSAGES.failed;
  console.error(error);
});
