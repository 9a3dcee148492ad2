// The event form: under each breakdown, a live "counted N of TOTAL" so a grantee on a phone
// sees a wrong sum before sending. The server checks again; this only helps.
(function () {
  var form = document.querySelector("[data-event-form]");
  if (!form) return;
  var total = form.querySelector("#total");
  var template = form.getAttribute("data-sum-template");
  function number(input) {
    var value = parseInt(input.value, 10);
    return isNaN(value) ? 0 : value;
  }
  function update() {
    form.querySelectorAll("fieldset[data-breakdown]").forEach(function (fieldset) {
      var counted = 0;
      fieldset.querySelectorAll("input").forEach(function (input) { counted += number(input); });
      var hint = fieldset.querySelector("[data-sum-for]");
      var expected = number(total);
      hint.textContent = template.replace("%(n)s", counted).replace("%(total)s", expected);
      hint.classList.toggle("text-danger", counted !== expected);
      hint.classList.toggle("text-body-secondary", counted === expected);
    });
  }
  form.addEventListener("input", update);
  update();
})();
