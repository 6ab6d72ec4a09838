// "Copy to clipboard" for approved replies: a button names the textarea it copies.
document.addEventListener("click", (event) => {
  const button = event.target.closest("button[data-copy]");
  if (!button) return;
  const source = document.getElementById(button.dataset.copy);
  navigator.clipboard.writeText(source.value).then(() => { button.textContent = "Copied"; });
});
