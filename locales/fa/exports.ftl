## Files made by a separate process (bot/exports/, issue 14).

# The members file's process crashed or ran out of time; nothing was changed.
ml-export-failed = فایل اعضا این بار آماده نشد. لطفاً چند دقیقه‌ی دیگر دوباره دکمه‌ی فایل اعضا را بزنید.
