"use strict";
// Renders the list of open tickets on the dashboard.
const tickets = [];
function render(list) {
  const rows = list.map((t) => `<tr><td>${t.id}</td><td>${t.title}</td></tr>`);
  document.getElementById("tickets").innerHTML = rows.join("");
}
async function load() {
  const response = await fetch("/api/tickets?state=open");
  if (response.status !== 200) {
    console.log("could not load tickets: " + response.status);
    return;
  }
  render(await response.json());
}
window.addEventListener("load", load);
