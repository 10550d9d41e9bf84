;;; emacs_eglot.el --- batch check: eglot + copydesk -*- lexical-binding: t -*-
;; Loaded by tests/e2e/emacs_eglot.sh after the snippet from editors/README.md:
;;   emacs --batch -q -l snippet.el -l tests/e2e/emacs_eglot.el
;; Environment: COPYDESK_STORY (file to open), COPYDESK_OUT (report file),
;; COPYDESK_E2E_TIMEOUT (seconds, default 60).
(require 'eglot)
(require 'flymake)
(require 'seq)
(require 'cl-lib)

(defun copydesk-e2e--say (fmt &rest args)
  ;; stdout, so the shell script's log shows it in order.
  (princ (concat (apply #'format fmt args) "\n")))

(let* ((story (getenv "COPYDESK_STORY"))
       (out (getenv "COPYDESK_OUT"))
       (timeout (string-to-number (or (getenv "COPYDESK_E2E_TIMEOUT") "60")))
       (deadline (+ (float-time) timeout))
       (passed 0)
       (failed 0)
       (diags nil))
  (cl-flet ((check (ok fmt &rest args)
               (if ok (setq passed (1+ passed)) (setq failed (1+ failed)))
               (copydesk-e2e--say "%s %s" (if ok "PASS" "FAIL") (apply #'format fmt args))
               ok))
  (find-file story)
  (copydesk-e2e--say "buffer %s major-mode %s" (buffer-name) major-mode)
  ;; eglot-ensure (run from the README's mode hook) connects on the next
  ;; command; batch Emacs runs no commands, so run the hook once by hand.
  (run-hooks 'post-command-hook)
  (while (and (not (eglot-current-server)) (< (float-time) deadline))
    (accept-process-output nil 0.1))
  (let ((server (eglot-current-server)))
    (check server "eglot started a server for %s: %S" major-mode
           (and server (eglot--server-info server)))
    (when server
      (while (and (null diags) (< (float-time) deadline))
        (accept-process-output nil 0.2)
        (flymake-start)
        (setq diags (seq-filter
                     (lambda (d) (string-match-p "copydesk" (format "%s" (flymake-diagnostic-text d))))
                     (flymake-diagnostics))))
      (let ((lines
             (mapcar (lambda (d)
                       (let ((beg (flymake-diagnostic-beg d)) (end (flymake-diagnostic-end d)))
                         (format "%d:%d %s [%s] %s"
                                 (line-number-at-pos beg)
                                 (save-excursion (goto-char beg) (current-column))
                                 (flymake-diagnostic-type d)
                                 (buffer-substring-no-properties beg end)
                                 (flymake-diagnostic-text d))))
                     (sort (copy-sequence diags) (lambda (a b) (< (flymake-diagnostic-beg a) (flymake-diagnostic-beg b)))))))
        (dolist (l lines) (copydesk-e2e--say "diag %s" l))
        (when out (with-temp-file out (insert (mapconcat #'identity lines "\n") "\n"))))
      (let ((kiev (seq-find (lambda (d)
                              (and (string-match-p "inconsistent-spelling" (flymake-diagnostic-text d))
                                   (string= "Kiev" (buffer-substring-no-properties
                                                    (flymake-diagnostic-beg d) (flymake-diagnostic-end d)))))
                            diags)))
        (check (and diags t) "flymake diagnostics from copydesk: %d" (length diags))
        (check (and kiev t) "inconsistent-spelling diagnostic exactly on \"Kiev\""))
      ;; Hover through eglot's connection (the request M-x eldoc makes).
      (goto-char (point-min))
      (when (search-forward "Stoltenberg" nil t)
        (backward-char 3)
        (let* ((res (ignore-errors
                      (jsonrpc-request server :textDocument/hover
                                       (eglot--TextDocumentPositionParams))))
               (contents (plist-get res :contents))
               (text (cond ((stringp contents) contents)
                           ((plist-get contents :value))
                           (t (format "%S" contents)))))
          (check (and text (string-match-p "NATO" text))
                 "hover on Stoltenberg mentions NATO: %s"
                 (replace-regexp-in-string "\n" " " (truncate-string-to-width (or text "") 100)))))
      (ignore-errors (eglot-shutdown server)))))
  (copydesk-e2e--say "%d passed, %d failed" passed failed)
  (kill-emacs (if (and (> passed 0) (= failed 0)) 0 1)))
