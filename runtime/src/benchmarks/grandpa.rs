//! Benchmarks of polkadot-sdk's `pallet-grandpa` calls in this runtime. Upstream prices them
//! with constants and RocksDB's database weights (`report_equivocation`: a floor of 100
//! validators and staking's nominators; its benchmarks measure only a part of a report,
//! `check_equivocation_proof`, under a name its `WeightInfo` does not have), so here the whole
//! report is measured as medchain runs it: the two votes' signatures checked, the offender's
//! key-ownership proof checked against the session's historical root, the offence recorded by
//! pallet-offences and handed with every concurrent offender to `DisableOffenders`
//! (`configs/validators.rs`), which disables them in pallet-session.
//!
//! Worst case of `v` (`validator_count`: the validators of the reported session, what the
//! call's weight is declared for): every other validator of the session already reported for
//! the same round, so that the report is handed to the offence handler with all of them. The
//! signed and the unsigned report dispatch the same work: one weight for both. The pallet's
//! `WeightInfo` also takes `max_nominators_per_validator`, which is 0 in this runtime (no
//! staking): not a component (a benchmark cannot vary it), an unused parameter of the
//! generated function (`scripts/bench.sh` adds it).

use alloc::{boxed::Box, vec::Vec};
use frame_benchmarking::v2::*;
use frame_support::traits::Get;
use frame_system::RawOrigin;
use pallet_grandpa::Call;
use sp_consensus_grandpa::{AuthorityId as GrandpaId, EquivocationProof, SetId};
use sp_runtime::{traits::Hash as _, RuntimeAppPublic};

/// The benchmarks' handle on the pallet.
pub struct Pallet<T: Config>(core::marker::PhantomData<T>);

/// What the benchmarks need from the runtime: a session of validators whose GRANDPA keys are in
/// the benchmark host's keystore, their key-ownership proofs, and whether an offence was
/// recorded.
pub trait Config: pallet_grandpa::Config {
	/// Makes the current session one of exactly `count` validators, each with new session keys
	/// (made in the keystore), its root noted by the historical module; their GRANDPA keys.
	fn session_of(count: u32) -> Result<Vec<GrandpaId>, BenchmarkError>;
	/// The proof that `key` is a key of the current session's validators.
	fn key_owner_proof(key: &GrandpaId) -> Option<Self::KeyOwnerProof>;
	/// Whether pallet-offences recorded an offence since the events were last cleared.
	fn offence_recorded() -> bool;
}

impl Config for crate::Runtime {
	fn session_of(count: u32) -> Result<Vec<GrandpaId>, BenchmarkError> {
		use codec::Encode;
		use frame_support::traits::Hooks;

		use crate::{Grandpa, RuntimeOrigin, Session, SessionKeys, System, ValidatorSet};

		let old = pallet_validator_set::Validators::<crate::Runtime>::get();
		let mut keys = Vec::new();
		for i in 0..count {
			let who: crate::AccountId = account("validator", i, 0);
			ValidatorSet::add_validator(RuntimeOrigin::root(), who.clone())
				.map_err(|_| BenchmarkError::Stop("a validator could not be added"))?;
			let generated = SessionKeys::generate(&who.encode(), None);
			let grandpa = generated.keys.grandpa.clone();
			Session::set_keys(RuntimeOrigin::signed(who), generated.keys, generated.proof.encode())
				.map_err(|_| BenchmarkError::Stop("a validator's keys were refused"))?;
			keys.push(grandpa);
			// The genesis validators leave once one new validator holds keys (the floor), so
			// that the set has room for `count`.
			if i == 0 {
				for who in &old {
					ValidatorSet::remove_validator(RuntimeOrigin::root(), who.clone()).map_err(
						|_| BenchmarkError::Stop("a genesis validator could not be removed"),
					)?;
				}
			}
		}
		// Queued at the first rotation, in office from the second (whose session's root the
		// historical module noted when it queued them); GRANDPA's change applied each time.
		for _ in 0..2 {
			Session::rotate_session();
			Grandpa::on_finalize(System::block_number());
		}
		if Session::validators().len() != count as usize {
			return Err(BenchmarkError::Stop("the session does not hold the new validators"));
		}
		Ok(keys)
	}

	fn key_owner_proof(key: &GrandpaId) -> Option<sp_session::MembershipProof> {
		<crate::Historical as frame_support::traits::KeyOwnerProofSystem<_>>::prove((
			sp_consensus_grandpa::KEY_TYPE,
			key.clone(),
		))
	}

	fn offence_recorded() -> bool {
		crate::System::events().iter().any(|record| {
			matches!(
				record.event,
				crate::RuntimeEvent::Offences(pallet_offences::Event::Offence { .. })
			)
		})
	}
}

/// Two prevotes of `key` in round 1 of `set_id` for two different blocks, signed in the
/// keystore.
fn equivocation<T: Config>(
	key: &GrandpaId,
	set_id: SetId,
) -> Result<
	EquivocationProof<T::Hash, frame_system::pallet_prelude::BlockNumberFor<T>>,
	BenchmarkError,
> {
	let round = 1;
	let vote = |target: &[u8]| -> Result<_, BenchmarkError> {
		let prevote = finality_grandpa::Prevote {
			target_hash: T::Hashing::hash(target),
			target_number: 1u32.into(),
		};
		let message = finality_grandpa::Message::Prevote(prevote.clone());
		let payload = sp_consensus_grandpa::localized_payload(round, set_id, &message);
		let signature = key
			.sign(&payload)
			.ok_or(BenchmarkError::Stop("the key is not in the keystore"))?;
		Ok((prevote, signature))
	};
	Ok(EquivocationProof::new(
		set_id,
		sp_consensus_grandpa::Equivocation::Prevote(finality_grandpa::Equivocation {
			round_number: round,
			identity: key.clone(),
			first: vote(b"one block")?,
			second: vote(b"another block")?,
		}),
	))
}

#[benchmarks]
mod benchmarks {
	use super::*;

	/// A validator's double vote reported, in a session of `v` validators of which every other
	/// one was already reported for the same round (`v`: `validator_count` of the pallet's
	/// `WeightInfo`).
	#[benchmark]
	fn report_equivocation(
		v: Linear<1, { T::MaxAuthorities::get() }>,
	) -> Result<(), BenchmarkError> {
		let keys = T::session_of(v)?;
		let set_id = pallet_grandpa::CurrentSetId::<T>::get();
		let (offender, others) = keys.split_first().ok_or(BenchmarkError::Stop("no validator"))?;
		for key in others {
			let owner = T::key_owner_proof(key).ok_or(BenchmarkError::Stop("no proof"))?;
			pallet_grandpa::Pallet::<T>::report_equivocation_unsigned(
				RawOrigin::None.into(),
				Box::new(equivocation::<T>(key, set_id)?),
				owner,
			)
			.map_err(|_| BenchmarkError::Stop("an earlier report was refused"))?;
		}
		let proof = Box::new(equivocation::<T>(offender, set_id)?);
		let owner = T::key_owner_proof(offender).ok_or(BenchmarkError::Stop("no proof"))?;
		frame_system::Pallet::<T>::reset_events();

		#[extrinsic_call]
		report_equivocation_unsigned(RawOrigin::None, proof, owner);

		assert!(T::offence_recorded(), "the offence is recorded");
		Ok(())
	}

	/// Governance's reset of a stalled finality.
	#[benchmark]
	fn note_stalled() {
		#[extrinsic_call]
		_(RawOrigin::Root, 1000u32.into(), 1u32.into());

		assert!(pallet_grandpa::Stalled::<T>::get().is_some());
	}

	impl_benchmark_test_suite!(Pallet, crate::benchmarks::new_test_ext(), crate::Runtime);
}
