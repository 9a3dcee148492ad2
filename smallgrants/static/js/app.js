// smallgrants: small behaviours, no inline scripts (the CSP forbids them).
document.addEventListener("click", function (event) {
  var target = event.target.closest("[data-print]");
  if (target) {
    event.preventDefault();
    window.print();
  }
});

// A destructive action asks first: <form data-confirm="Question?"> (no inline script).
document.addEventListener("submit", function (event) {
  var form = event.target.closest("form[data-confirm]");
  if (form && !window.confirm(form.getAttribute("data-confirm"))) {
    event.preventDefault();
  }
});

// A new competition: choosing video entries suggests a contest with prizes for individuals
// (and projects a grants round for NGOs and groups) — for the fields the coordinator has not
// set by hand. The server never relies on it: every field is posted as it is shown.
(function () {
  var form = document.querySelector("form[data-kind-defaults]");
  var kind = form && form.querySelector("#entry_kind");
  if (!kind) {
    return;
  }
  var touched = {};
  ["award_kind", "accepts_ngo", "accepts_group", "accepts_individual"].forEach(function (id) {
    var field = form.querySelector("#" + id);
    if (field) {
      field.addEventListener("change", function () { touched[id] = true; });
    }
  });
  function suggest(id, property, value) {
    var field = form.querySelector("#" + id);
    if (field && !touched[id]) {
      field[property] = value;
    }
  }
  kind.addEventListener("change", function () {
    var video = kind.value === "video";
    suggest("award_kind", "value", video ? "prize" : "grant");
    suggest("accepts_ngo", "checked", !video);
    suggest("accepts_group", "checked", !video);
    suggest("accepts_individual", "checked", video);
  });
})();
