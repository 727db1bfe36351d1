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
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_user, logout_user

from app.auth import forms, services, tokens
from app.auth.models import TokenPurpose
from app.core.i18n import SESSION_KEY, current_language, is_supported
from app.core.permissions import Role
from app.core.security import is_safe_local_path
from app.core.transaction import apply
from app.core.urls import public_url
from app.extensions import limiter
from app.mail.services import queue_template

bp = Blueprint("auth", __name__)

HOMES = {Role.PARTICIPANT: "main.dashboard", Role.TRAINER: "trainer.home", Role.ADMIN: "admin.home"}


def home_url(user) -> str:
    return url_for(HOMES[user.role])


def _account_key() -> str:
    return "login-account:" + services.normalize_email(request.form.get("email", ""))[:254]


def _login_failed(response) -> bool:
    # Only failed attempts count against an account: a success redirects.
    return response.status_code != 302


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
        outcome = apply(lambda: services.create_user(email=form.email.data, password=form.password.data,
                                                     **form.profile_data()), form=form)
        if outcome.ok:
            user = outcome.value
            login_user(user)
            # The language chosen on the form is this visit's latest choice: the welcome and the next pages use it.
            session[SESSION_KEY] = user.preferred_language
            with force_locale(user.preferred_language):
                flash(_("Welcome to Passage, %(name)s. Your account is ready.", name=user.name), "success")
            return redirect(next_url or home_url(user))
    return render_template("auth/signup.html", form=form, next_url=next_url), 200 if request.method == "GET" else 422


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_ADDRESS"], methods=["POST"], scope="login-address")
@limiter.limit(
    lambda: current_app.config["LOGIN_LIMIT_PER_ACCOUNT"],
    key_func=_account_key,
    methods=["POST"],
    deduct_when=_login_failed,
    scope="login-account",
)
def login():
    next_url = request.args.get("next")
    if not is_safe_local_path(next_url):
        next_url = None
    if current_user.is_authenticated:
        return redirect(next_url or home_url(current_user))
    form = forms.LoginForm()
    if form.validate_on_submit():
        outcome = apply(lambda: services.authenticate(form.email.data, form.password.data), field=form.email)
        if outcome.ok and outcome.value is None:
            form.password.errors.append(_("The e-mail address or password is not correct."))
            return render_template("auth/login.html", form=form, next_url=next_url), 401
        if outcome.ok:
            user = outcome.value
            chosen = session.get(SESSION_KEY)
            services.record_login(user, chosen if is_supported(chosen) else None)
            login_user(user, remember=form.remember.data)
            return redirect(next_url or home_url(user))
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


def _user_key() -> str:
    return f"user:{current_user.get_id().partition('.')[0]}" if current_user.is_authenticated else request.remote_addr


def _asks_for_password() -> bool:
    return "password-submit" in request.form or request.endpoint == "auth.delete_account"


def _wrong_password(response) -> bool:
    # Only failed password checks count, as for login: a success redirects.
    return response.status_code != 302 and _asks_for_password()


# Changing the password and deleting the account check the current one: the same guesses, counted together.
PASSWORD_GUESSES = limiter.shared_limit(lambda: current_app.config["LOGIN_LIMIT_PER_ACCOUNT"], scope="password-check",
                                        key_func=_user_key, methods=["POST"], deduct_when=_wrong_password,
                                        exempt_when=lambda: not _asks_for_password())


@bp.route("/account", methods=["GET", "POST"])
@login_required
@PASSWORD_GUESSES
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
        if "password-submit" in request.form and password_form.validate_on_submit() and apply(
                lambda: services.change_password(current_user, password_form.current_password.data,
                                                 password_form.password.data),
                form=password_form, success=_("Your password is changed. You are logged out everywhere else.")).ok:
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
        user, purpose = tokens.peek(token)
    except tokens.InvalidPasswordLink as error:
        flash(str(error), "error")
        return redirect(url_for(".forgot_password"))
    form = forms.ResetPasswordForm()
    if form.validate_on_submit() and apply(
            lambda: services.set_password_from_link(token, user, form.password.data), form=form).ok:
        logout_user()
        flash(_("Your password is saved. You can log in with it now."), "success")
        return redirect(url_for(".login"))
    return render_template("auth/reset_password.html", form=form, user=user, invited=purpose is TokenPurpose.INVITE), \
        200 if request.method == "GET" else 422


@bp.route("/account/delete", methods=["GET", "POST"])
@login_required
@PASSWORD_GUESSES
def delete_account():
    form = forms.DeleteAccountForm()
    if form.validate_on_submit() and apply(lambda: services.delete_account(current_user, form.password.data),
                                           form=form).ok:
        logout_user()
        flash(_("Your account and personal details are deleted."), "success")
        return redirect(url_for("main.index"))
    return render_template("auth/delete_account.html", form=form), 200 if request.method == "GET" else 422
