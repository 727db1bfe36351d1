"""Sign-up, login, logout, account, password reset and account deletion."""
from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required, login_user, logout_user

from app.auth import devices, forms, services, tokens
from app.auth.models import TokenPurpose
from app.auth.throttle import Attempts, count
from app.core.i18n import SESSION_KEY, current_language, is_supported
from app.core.permissions import Role
from app.core.security import is_safe_local_path
from app.core.transaction import Outcome, apply
from app.extensions import limiter

bp = Blueprint("auth", __name__)

HOMES = {Role.PARTICIPANT: "main.dashboard", Role.TRAINER: "trainer.home", Role.ADMIN: "admin.home"}


def home_url(user) -> str:
    return url_for(HOMES[user.role])


def _login_attempts(email: str) -> Attempts:
    """Where a login's failures count: the account's, or this device's own if it logged in here before.

    The key is the typed address whether or not it has an account, so a refusal tells nothing.
    """
    limit = current_app.config["LOGIN_LIMIT_PER_ACCOUNT"]
    email = services.normalize_email(email)[:254]
    device = devices.known_device(request, email)
    return Attempts(limit, f"login-device:{device}:{email}" if device else f"login-account:{email}")


# Where a sign-up continues after its confirmation is kept with the link: no longer than this.
MAX_NEXT_PATH = 500


@bp.route("/signup", methods=["GET", "POST"])
def signup():
    next_url = request.args.get("next")
    if not is_safe_local_path(next_url):
        next_url = None
    if current_user.is_authenticated:
        return redirect(next_url or home_url(current_user))
    form = forms.SignupForm()
    if request.method == "GET":
        form.preferred_language.data = current_language()
    if form.validate_on_submit():
        # Only complete forms count: a typo costs nothing, and nothing is hashed or written past the limit.
        count(Attempts(current_app.config["SIGNUP_LIMIT_PER_ADDRESS"], f"signup-address:{get_remote_address()}"))
        keep_next = next_url if next_url and len(next_url) <= MAX_NEXT_PATH else None
        outcome = apply(lambda: services.sign_up(email=form.email.data, password=form.password.data,
                                                 next_path=keep_next, **form.profile_data()), form=form)
        if outcome.ok:
            # Whether the address was new, taken or awaiting confirmation, the answer is the same: only
            # the mailbox learns which. The language chosen on the form is this visit's latest choice.
            session[SESSION_KEY] = form.preferred_language.data
            session[SENT_TO] = services.normalize_email(form.email.data)
            return redirect(url_for(".signup_sent"))
    return render_template("auth/signup.html", form=form, next_url=next_url), 200 if request.method == "GET" else 422


# The address a confirmation link was just sent to, for the page that says so.
SENT_TO = "confirmation_sent_to"


@bp.route("/signup/sent")
def signup_sent():
    email = session.get(SENT_TO)
    if not email:
        return redirect(url_for(".signup"))
    days = current_app.config["SIGNUP_CONFIRMATION_MAX_AGE"] // 86400
    return render_template("auth/signup_sent.html", email=email, days=days)


@bp.route("/signup/confirm/<token>", methods=["GET", "POST"])
def confirm_signup(token: str):
    """The e-mailed link of a new account: the sign-up's password confirms the address and logs in."""
    try:
        user, _link = tokens.peek(token, (TokenPurpose.CONFIRM,))
    except tokens.InvalidPasswordLink:
        return _confirmation_link_gone()
    form = forms.ConfirmSignupForm()
    if form.validate_on_submit():
        attempts = _login_attempts(user.email)
        count(attempts)
        outcome = apply(lambda: services.confirm_signup(token, user, form.password.data), form=form)
        if isinstance(outcome.error, tokens.InvalidPasswordLink):  # another tab used it meanwhile
            return _confirmation_link_gone()
        if outcome.ok:
            attempts.give_back()
            session.pop(SENT_TO, None)
            login_user(user)
            # The welcome, and the pages from now on, in the language chosen when signing up.
            session[SESSION_KEY] = user.preferred_language
            with force_locale(user.preferred_language):
                flash(_("Welcome to Passage, %(name)s. Your account is ready.", name=user.name), "success")
            next_path = outcome.value if is_safe_local_path(outcome.value) else None
            response = redirect(next_path or url_for(HOMES[Role.PARTICIPANT]))
            devices.remember(request, response, user.email)
            return response
    return render_template("auth/confirm_signup.html", form=form, user=user), 200 if request.method == "GET" else 422


def _confirmation_link_gone():
    flash(_("This confirmation link is invalid, has expired or has already been used. If you confirmed your "
            "address already, log in. If not, log in anyway or sign up again: we will send you a new link."), "error")
    return redirect(url_for(".login"))


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_ADDRESS"], methods=["POST"], scope="login-address")
def login():
    next_url = request.args.get("next")
    if not is_safe_local_path(next_url):
        next_url = None
    if current_user.is_authenticated:
        return redirect(next_url or home_url(current_user))
    form = forms.LoginForm()
    if form.validate_on_submit():
        # Counted before the password is checked, and only for a complete form with a valid CSRF token,
        # so that locking an account takes real guesses, and parallel ones cannot slip past the count.
        attempts = _login_attempts(form.email.data)
        count(attempts)
        outcome = apply(lambda: services.authenticate(form.email.data, form.password.data), field=form.email)
        if isinstance(outcome.error, services.AddressNotConfirmed):
            # The right password: say so, and send a new link (the first may be lost or expired).
            attempts.give_back()
            unconfirmed = outcome.error.user
            apply(lambda: services.remind_to_confirm(unconfirmed))
            flash(str(outcome.error), "info")
            session[SENT_TO] = unconfirmed.email
            return redirect(url_for(".signup_sent"))
        if outcome.ok and outcome.value is None:
            form.password.errors.append(_("The e-mail address or password is not correct."))
            return render_template("auth/login.html", form=form, next_url=next_url), 401
        if outcome.ok:
            attempts.give_back()
            user = outcome.value
            chosen = session.get(SESSION_KEY)
            services.record_login(user, chosen if is_supported(chosen) else None)
            login_user(user, remember=form.remember.data)
            response = redirect(next_url or home_url(user))
            devices.remember(request, response, user.email)
            return response
    status = 200 if request.method == "GET" else 401
    return render_template("auth/login.html", form=form, next_url=next_url), status


@bp.route("/logout", methods=["POST"])
def logout():
    if current_user.is_authenticated:
        # Ends the session on the server too: a copied cookie or the remember-me cookie no longer logs in.
        services.end_sessions(current_user)
    logout_user()
    flash(_("You are logged out."), "info")
    return redirect(url_for("main.index"))


def _password_checks() -> Attempts:
    # Changing the password and deleting the account check the current one: the same guesses, counted together.
    return Attempts(current_app.config["LOGIN_LIMIT_PER_ACCOUNT"], f"password-check:{current_user.id}")


def check_current_password(change, form, success=None) -> Outcome:
    """`apply` a change that begins by checking the current password, counted as a login is (first; failures only)."""
    attempts = _password_checks()
    count(attempts)
    outcome = apply(change, form=form, success=success)
    if not isinstance(outcome.error, services.WrongPassword):
        attempts.give_back()
    return outcome


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():
    profile_form = forms.ProfileForm(obj=current_user, prefix="profile")
    password_form = forms.ChangePasswordForm(prefix="password")
    status = 200
    if request.method == "POST":
        status = 422
        if "profile-submit" in request.form and profile_form.validate_on_submit():
            services.update_profile(current_user, **profile_form.profile_data())
            flash(_("Your profile is saved."), "success")
            return redirect(url_for(".account"))
        if "password-submit" in request.form and password_form.validate_on_submit():
            if check_current_password(
                    lambda: services.change_password(current_user, password_form.current_password.data,
                                                     password_form.password.data),
                    password_form, success=_("Your password is changed. You are logged out everywhere else.")).ok:
                # Keep this session: the new session version goes into its cookie.
                login_user(current_user)
                return redirect(url_for(".account"))
    return render_template("auth/account.html", profile_form=profile_form, password_form=password_form), status


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"], scope="password-forgot")
def forgot_password():
    form = forms.ForgotPasswordForm()
    if form.validate_on_submit():
        user = services.find_by_email(form.email.data)
        if user is not None and user.is_active:
            tokens.mail_link(user, TokenPurpose.RESET)
        # The same answer whether or not the address exists, so it cannot be used to probe.
        flash(_("If an account uses this address, we have sent it a link to choose a new password. "
                "The link works once, for one hour."), "info")
        return redirect(url_for(".login"))
    return render_template("auth/forgot_password.html", form=form), 200 if request.method == "GET" else 422


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    """Choose a password from an e-mailed link: a reset, or the first one after an invitation."""
    try:
        user, link = tokens.peek(token)
    except tokens.InvalidPasswordLink as error:
        flash(str(error), "error")
        return redirect(url_for(".forgot_password"))
    form = forms.ResetPasswordForm()
    if form.validate_on_submit() and apply(
            lambda: services.set_password_from_link(token, user, form.password.data), form=form).ok:
        logout_user()
        flash(_("Your password is saved. You can log in with it now."), "success")
        return redirect(url_for(".login"))
    return render_template("auth/reset_password.html", form=form, user=user, invited=link.purpose is TokenPurpose.INVITE), \
        200 if request.method == "GET" else 422


@bp.route("/account/delete", methods=["GET", "POST"])
@login_required
def delete_account():
    form = forms.DeleteAccountForm()
    if form.validate_on_submit():
        if check_current_password(lambda: services.delete_account(current_user, form.password.data), form).ok:
            logout_user()
            flash(_("Your account and personal details are deleted."), "success")
            return redirect(url_for("main.index"))
    return render_template("auth/delete_account.html", form=form), 200 if request.method == "GET" else 422
