## Full name and mobile, asked by registration, invitations and joining.

profile-ask-name = نام و نام خانوادگی خود را بنویسید، یا اگر نام زیر درست است آن را بزنید.
profile-name-has-digits = نام نباید عدد داشته باشد. لطفاً نام و نام خانوادگی خود را با حروف بنویسید.
profile-name-letters = نام دست‌کم دو حرف لازم دارد؛ شکلک یا نشانه به‌تنهایی نام نیست. لطفاً نام و نام خانوادگی خود را با حروف بنویسید.
profile-ask-mobile =
    شماره موبایل خود را بفرستید.
    می‌توانید دکمه‌ی «ارسال شماره من» را بزنید یا شماره را بنویسید، مثل ۰۹۱۲۱۲۳۴۵۶۷.
profile-share-contact = 📱 ارسال شماره من
profile-contact-not-yours = این شماره‌ی خود شما نیست. لطفاً با دکمه‌ی «ارسال شماره من» شماره‌ی خودتان را بفرستید یا آن را بنویسید.
profile-mobile-not-iranian = این شماره موبایل ایران نیست. لطفاً شماره‌ای مثل ۰۹۱۲۱۲۳۴۵۶۷ بنویسید.
profile-mobile-invalid = این شماره درست نیست. شماره موبایل ۱۱ رقم است و با ۰۹ شروع می‌شود، مثل ۰۹۱۲۱۲۳۴۵۶۷.
profile-mobile-need = لطفاً شماره موبایل را بنویسید یا دکمه‌ی «ارسال شماره من» را بزنید.
# A mobile sent while the full name was still being asked (e.g. after a restart): kept, then the name is asked.
profile-mobile-early = ✅ شماره‌ی موبایل شما را گرفتیم. فقط نام شما مانده است.
