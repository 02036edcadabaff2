// Composing an issue: "Insert in the text" puts a picture's reference where the cursor is in
// the text. Without JavaScript the reference is shown to copy instead.
document.querySelectorAll("[data-insert-picture]").forEach((button) => {
  const field = document.getElementById(button.dataset.insertInto);
  if (!field) return;
  button.hidden = false;
  button.addEventListener("click", () => {
    const start = field.selectionStart ?? field.value.length;
    const end = field.selectionEnd ?? start;
    field.setRangeText(`\n\n${button.dataset.insertPicture}\n\n`, start, end, "end");
    field.focus();
  });
});
