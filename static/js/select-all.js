// "Select all on this page" as a checkbox when scripts run; without them the link beside it does the same.
document.addEventListener("DOMContentLoaded", function () {
  var box = document.getElementById("select-all");
  var link = document.getElementById("select-all-link");
  if (!box || !link) return;
  var picks = document.querySelectorAll('input[name="ids"]');
  box.parentElement.hidden = false;
  link.hidden = true;
  box.addEventListener("change", function () {
    picks.forEach(function (pick) { pick.checked = box.checked; });
  });
  picks.forEach(function (pick) {
    pick.addEventListener("change", function () {
      box.checked = Array.prototype.every.call(picks, function (each) { return each.checked; });
    });
  });
});
