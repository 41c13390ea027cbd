//! The access decision: pure and read-only, shared by the calls (through
//! [`medchain_primitives::AccessPolicy`]), the runtime API and the other pallets.
//!
//! [`Pallet::decide`] answers with the first rule that applies: an unknown patient or an
//! accessor that is not an active provider is denied, a deny rule covering the request denies
//! it, a grant in force covering it permits it, an open emergency access permits emergency Read
//! and Append, and otherwise the answer is `EmergencyOnly` or a denial. [`Pallet::decide_under`]
//! answers the same question for one named grant or emergency access.

use crate::{pallet::*, EmergencyAccess, Grant};
use alloc::vec::Vec;
use frame::{prelude::*, traits::Time};
use medchain_primitives::{
	AccessPolicy, AccessQuestion, Action, ActivePractitioner, Category, ConsentRef, Decided,
	Decision, DenyReason, Grantee, Moment, OrganisationId, PatientId, PatientRegistry,
	ProviderRegistry, Purpose,
};

impl<T: Config> Pallet<T> {
	/// Whether `grant` names `accessor` as it acts now (`practitioner` if it is one, for
	/// `organisation`): a grant to it as a practitioner of the organisation and membership it
	/// had when the grant was given; or a grant to its organisation, with Share if it acts as a
	/// practitioner.
	fn names(
		grant: &Grant<T::AccountId>,
		accessor: &T::AccountId,
		practitioner: Option<ActivePractitioner>,
		organisation: OrganisationId,
	) -> bool {
		match &grant.terms.grantee {
			Grantee::Practitioner(who) => practitioner.is_some_and(|p| {
				who == accessor
					&& grant.organisation == Some(p.organisation)
					&& p.since <= grant.granted_at
			}),
			Grantee::Organisation(org) => {
				*org == organisation
					&& (practitioner.is_none() || grant.terms.actions.contains(Action::Share))
			},
		}
	}

	/// Whether `access` serves `accessor` now: it opened it, and still works for the same
	/// hospital or clinic in the same membership.
	fn serves(
		access: &EmergencyAccess<T::AccountId>,
		accessor: &T::AccountId,
		practitioner: Option<ActivePractitioner>,
	) -> bool {
		access.practitioner == *accessor
			&& practitioner.is_some_and(|p| {
				p.organisation == access.organisation
					&& p.since <= access.opened_at
					&& p.kind.provides_emergency_care()
			})
	}

	/// The first grant of `patient` to `grantee` that names the accessor and covers the
	/// request at `now`; counts the grants it reads in `read`.
	#[allow(clippy::too_many_arguments)]
	fn covering_grant(
		read: &core::cell::Cell<u32>,
		patient: PatientId,
		grantee: &Grantee<T::AccountId>,
		accessor: &T::AccountId,
		practitioner: Option<ActivePractitioner>,
		organisation: OrganisationId,
		category: Category,
		purpose: Purpose,
		action: Action,
		now: Moment,
	) -> Option<Decision> {
		GrantsByGrantee::<T>::get(patient, grantee).into_iter().find_map(|grant_id| {
			read.set(read.get().saturating_add(1));
			let grant = Grants::<T>::get(grant_id)?;
			(Self::names(&grant, accessor, practitioner, organisation)
				&& grant.covers(category, purpose, action, now))
			.then_some(Decision::Permit { grant_id, until: grant.terms.valid_until })
		})
	}

	/// May `accessor` do `action` on `category` of `patient`'s data for `purpose`, at `now`?
	///
	/// In order: the patient must be enrolled; the accessor must be an active practitioner or
	/// an active organisation's admin account; a deny rule covering the request denies it;
	/// then a grant in force covering it permits it — to a practitioner, one naming it (given
	/// while it worked, in its present membership, for its present organisation), or one naming
	/// its organisation with Share; to an admin, one naming its organisation. With no such
	/// grant, an open emergency access the accessor opened for its present organisation and
	/// membership, covering the category, permits Read and Append for the purpose Emergency.
	/// Otherwise: `EmergencyOnly` if the accessor may break the glass for this category — a
	/// physician or nurse of a hospital or clinic, a member for at least `MinEmergencyTenure`,
	/// not barred from this patient, the patient's emergency policy allowing the category —
	/// else denied (`NoGrant`). `EmergencyOnly` does not foresee `break_glass`'s caps (per
	/// practitioner, per organisation, open accesses per patient), which change with every
	/// access: `break_glass` names the one that refuses it.
	///
	/// ## Complexity
	/// O(G + D): the grants the patient gave the accessor and its organisation (each at most
	/// `MaxGrantsPerGrantee`) and its deny rules (at most `MaxDenyRules`).
	pub fn decide(
		patient: PatientId,
		accessor: &T::AccountId,
		category: Category,
		purpose: Purpose,
		action: Action,
		now: Moment,
	) -> Decision {
		Self::decide_metered(patient, accessor, category, purpose, action, now).decision
	}

	/// [`Self::decide`], saying how many grants it read.
	pub fn decide_metered(
		patient: PatientId,
		accessor: &T::AccountId,
		category: Category,
		purpose: Purpose,
		action: Action,
		now: Moment,
	) -> Decided {
		let read = core::cell::Cell::new(0);
		// The decision's rules in a closure, so that each can return its answer at once.
		let decision = (|| -> Decision {
			let (practitioner, organisation) =
				match Self::screen(patient, accessor, category, purpose) {
					Ok(found) => found,
					Err(denied) => return denied,
				};
			let covering = |grantee: Grantee<T::AccountId>| {
				Self::covering_grant(
					&read,
					patient,
					&grantee,
					accessor,
					practitioner,
					organisation,
					category,
					purpose,
					action,
					now,
				)
			};
			let permit = practitioner
				.and_then(|_| covering(Grantee::Practitioner(accessor.clone())))
				.or_else(|| covering(Grantee::Organisation(organisation)));
			if let Some(permit) = permit {
				return permit;
			}

			// An open emergency access permits Read and Append for the purpose Emergency.
			if purpose == Purpose::Emergency && matches!(action, Action::Read | Action::Append) {
				let open = OpenEmergency::<T>::get(patient, accessor)
					.and_then(|id| EmergencyAccesses::<T>::get(id).map(|a| (id, a)))
					.filter(|(_, access)| {
						Self::serves(access, accessor, practitioner) && access.covers(category, now)
					});
				if let Some((access_id, access)) = open {
					return Decision::PermitEmergency { access_id, until: access.until };
				}
			}

			// What `break_glass` checks of this practitioner and patient that does not count:
			// role and organisation, tenure, the patient's policy, a bar. (Its caps per period
			// and on open accesses count, and are its own to check and name.)
			let emergency_possible = practitioner.is_some_and(|p| {
				p.kind.provides_emergency_care()
					&& p.is_clinical()
					&& now >= p.since.saturating_add(T::MinEmergencyTenure::get())
			}) && T::Patients::emergency_policy(patient)
				.is_some_and(|policy| policy.allowed && policy.categories.contains(category))
				&& EmergencyBars::<T>::get(patient, accessor).map_or(true, |until| now >= until);
			if emergency_possible {
				Decision::EmergencyOnly
			} else {
				Decision::Deny(DenyReason::NoGrant)
			}
		})();
		Decided { decision, grants_read: read.get() }
	}

	/// The checks every decision starts with: the patient is enrolled, the accessor is an
	/// active practitioner (or an active organisation's admin account), and no deny rule of
	/// the patient covers the request. Gives the accessor's practitioner record, if it is one,
	/// and the organisation it acts for.
	fn screen(
		patient: PatientId,
		accessor: &T::AccountId,
		category: Category,
		purpose: Purpose,
	) -> Result<(Option<ActivePractitioner>, OrganisationId), Decision> {
		if !T::Patients::is_enrolled(patient) {
			return Err(Decision::Deny(DenyReason::UnknownPatient));
		}
		let practitioner = T::Providers::active_practitioner(accessor);
		let organisation: OrganisationId = match practitioner {
			Some(p) => p.organisation,
			None => T::Providers::active_admin_of(accessor)
				.ok_or(Decision::Deny(DenyReason::NotActiveProvider))?,
		};
		let as_practitioner = Grantee::Practitioner(accessor.clone());
		let as_organisation = Grantee::Organisation(organisation);
		let denied = Denies::<T>::get(patient).rules.iter().any(|rule| {
			let names_accessor = match &rule.grantee {
				None => true,
				Some(g) => {
					*g == as_organisation || (practitioner.is_some() && *g == as_practitioner)
				},
			};
			names_accessor && rule.categories.contains(category) && rule.purposes.contains(purpose)
		});
		if denied {
			return Err(Decision::Deny(DenyReason::DeniedByPatient));
		}
		Ok((practitioner, organisation))
	}

	/// [`Self::decide`], answered by one named grant or emergency access: does `basis` permit
	/// the request at `now`? The same first checks apply (enrolment, an active accessor, deny
	/// rules); then the grant must be the patient's, name the accessor (or its organisation,
	/// with Share for a practitioner) and cover the request, or the emergency access must be
	/// the accessor's, open, and cover the category (Read and Append, purpose Emergency).
	///
	/// ## Complexity
	/// O(D) in the patient's deny rules (at most `MaxDenyRules`), plus one grant or access.
	pub fn decide_under(
		basis: ConsentRef,
		patient: PatientId,
		accessor: &T::AccountId,
		category: Category,
		purpose: Purpose,
		action: Action,
		now: Moment,
	) -> Decision {
		let (practitioner, organisation) = match Self::screen(patient, accessor, category, purpose)
		{
			Ok(found) => found,
			Err(denied) => return denied,
		};
		let no_grant = Decision::Deny(DenyReason::NoGrant);
		match basis {
			ConsentRef::Grant(grant_id) => {
				let Some(grant) = Grants::<T>::get(grant_id) else { return no_grant };
				if grant.patient == patient
					&& Self::names(&grant, accessor, practitioner, organisation)
					&& grant.covers(category, purpose, action, now)
				{
					Decision::Permit { grant_id, until: grant.terms.valid_until }
				} else {
					no_grant
				}
			},
			ConsentRef::Emergency(access_id) => {
				let emergency_use = purpose == Purpose::Emergency
					&& matches!(action, Action::Read | Action::Append);
				match EmergencyAccesses::<T>::get(access_id) {
					Some(access)
						if emergency_use
							&& access.patient == patient
							&& Self::serves(&access, accessor, practitioner)
							&& access.covers(category, now) =>
					{
						Decision::PermitEmergency { access_id, until: access.until }
					},
					_ => no_grant,
				}
			},
			ConsentRef::Deny(_) => no_grant,
		}
	}

	/// [`Self::decide`] at the chain's current time: what `ConsentApi::check_access` answers.
	pub fn check_access(
		patient: PatientId,
		accessor: &T::AccountId,
		category: Category,
		purpose: Purpose,
		action: Action,
	) -> Decision {
		Self::decide(patient, accessor, category, purpose, action, T::Time::now())
	}

	/// Each question answered as [`Self::check_access`] answers it, at one time (the chain's
	/// now), in order: what `ConsentApi::check_access_batch` answers.
	pub fn check_access_batch(questions: &[AccessQuestion<T::AccountId>]) -> Vec<Decision> {
		let now = T::Time::now();
		questions
			.iter()
			.map(|q| Self::decide(q.patient, &q.accessor, q.category, q.purpose, q.action, now))
			.collect()
	}
}

impl<T: Config> AccessPolicy<T::AccountId> for Pallet<T> {
	fn check_access(
		patient: PatientId,
		accessor: &T::AccountId,
		category: Category,
		purpose: Purpose,
		action: Action,
	) -> Decided {
		Pallet::<T>::decide_metered(patient, accessor, category, purpose, action, T::Time::now())
	}

	fn max_grants_read() -> u32 {
		T::MaxGrantsPerGrantee::get().saturating_mul(2)
	}

	fn check_access_under(
		basis: ConsentRef,
		patient: PatientId,
		accessor: &T::AccountId,
		category: Category,
		purpose: Purpose,
		action: Action,
	) -> Decision {
		Pallet::<T>::decide_under(
			basis,
			patient,
			accessor,
			category,
			purpose,
			action,
			T::Time::now(),
		)
	}

	fn relates(basis: ConsentRef, patient: PatientId, accessor: &T::AccountId) -> bool {
		let practitioner = T::Providers::active_practitioner(accessor);
		let organisation = practitioner
			.map(|p| p.organisation)
			.or_else(|| T::Providers::administered_by(accessor));
		match basis {
			ConsentRef::Grant(grant_id) => Grants::<T>::get(grant_id).is_some_and(|grant| {
				grant.patient == patient
					&& match grant.terms.grantee {
						Grantee::Practitioner(who) => who == *accessor,
						Grantee::Organisation(org) => Some(org) == organisation,
					}
			}),
			ConsentRef::Emergency(access_id) => {
				EmergencyAccesses::<T>::get(access_id).is_some_and(|access| {
					access.patient == patient && access.practitioner == *accessor
				})
			},
			ConsentRef::Deny(_) => false,
		}
	}
}
