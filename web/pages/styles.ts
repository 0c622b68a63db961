// The stylesheet of the self-service pages (served at /pages/selfservice.css). Colours meet
// WCAG AA contrast; focus is always visible; the layout holds at 320 px.
export const SELF_SERVICE_CSS = `
*,*::before,*::after{box-sizing:border-box}
html{font-size:100%;-webkit-text-size-adjust:100%}
body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;line-height:1.5;color:#1e1e1e;background:#f6f6f6}
a{color:#000091;text-decoration:underline}
a:hover{color:#1212ff}
:focus-visible{outline:3px solid #0a76f6;outline-offset:2px}
.skip{position:absolute;left:-9999px;top:0;background:#fff;padding:.5rem 1rem}
.skip:focus{left:.5rem;z-index:10}
header{background:#fff;border-bottom:4px solid #000091;padding:.75rem 1rem}
header p{margin:0;font-weight:700;font-size:1.25rem;color:#000091}
main{max-width:40rem;margin:0 auto;padding:1rem}
.card{background:#fff;border:1px solid #cecece;border-radius:4px;padding:1rem 1.25rem;margin:1rem 0}
h1{font-size:1.6rem;line-height:1.25;margin:.5rem 0 1rem}
h2{font-size:1.25rem}
.field{margin:0 0 1.25rem}
label,legend{display:block;font-weight:700;margin-bottom:.25rem}
fieldset{border:0;margin:0 0 1.25rem;padding:0}
.hint{display:block;color:#3a3a3a;font-size:.95rem;margin-bottom:.35rem}
.error-message{display:block;color:#b00020;font-weight:700;margin-bottom:.35rem}
.error-message ul{margin:.25rem 0 0;padding-left:1.25rem}
input[type=text],input[type=email],input[type=tel],input[type=password],input[type=date]{width:100%;max-width:100%;font:inherit;padding:.5rem;border:2px solid #3a3a3a;border-radius:4px;background:#fff;color:#1e1e1e}
input[aria-invalid=true]{border-color:#b00020;border-width:3px}
.radio{display:flex;align-items:flex-start;gap:.5rem;margin:.35rem 0}
.radio input{flex:none;width:1.5rem;height:1.5rem;margin:0}
.radio label{font-weight:400;margin:0}
button,.button{display:inline-block;font:inherit;font-weight:700;padding:.6rem 1.2rem;border:2px solid #000091;border-radius:4px;background:#000091;color:#fff;cursor:pointer;text-decoration:none}
button:hover,.button:hover{background:#1212ff;color:#fff}
button.secondary{background:#fff;color:#000091}
button.link{background:none;border:0;color:#000091;text-decoration:underline;padding:0;font-weight:400}
.error-summary{border:3px solid #b00020;padding:1rem;margin:0 0 1.5rem;background:#fff}
.error-summary h2{margin-top:0;font-size:1.15rem;color:#b00020}
.error-summary a{color:#b00020;font-weight:700}
.notice{border-left:6px solid #000091;background:#e8edff;padding:.75rem 1rem;margin:0 0 1.25rem}
.success{border-left:6px solid #18753c;background:#e6f4ea;padding:.75rem 1rem;margin:0 0 1.25rem}
.identifier{font-size:1.4rem;font-weight:700;font-family:ui-monospace,Consolas,monospace;word-break:break-all}
ul.children{list-style:none;padding:0}
ul.children li{border-bottom:1px solid #cecece;padding:.5rem 0;display:flex;flex-wrap:wrap;justify-content:space-between;gap:.5rem}
footer{max-width:40rem;margin:0 auto;padding:1rem;font-size:.95rem;color:#3a3a3a}
@media (max-width:400px){main{padding:.5rem}.card{padding:.75rem}h1{font-size:1.35rem}}
`;
