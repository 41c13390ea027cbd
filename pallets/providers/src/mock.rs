//! A test runtime with a small world: two organisations (a hospital and a lab) with a few
//! practitioners, governance as Root.

use frame::{deps::sp_runtime::BuildStorage, testing_prelude::*};
use medchain_primitives::{Hash32, Moment, OrganisationKind, Role};

use crate as pallet_providers;

type Block = frame_system::mocking::MockBlock<Test>;

construct_runtime!(
	pub enum Test {
		System: frame_system,
		Providers: pallet_providers,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
}

parameter_types! {
	pub const MaxPractitionersPerOrganisation: u32 = 3;
	pub const MaxOpenInvitations: u32 = 2;
	pub const InvitationLifetime: Moment = 7 * DAY;
}

impl pallet_providers::Config for Test {
	type GovernanceOrigin = EnsureRoot<u64>;
	type Time = MockTime;
	type MaxPractitionersPerOrganisation = MaxPractitionersPerOrganisation;
	type MaxOpenInvitations = MaxOpenInvitations;
	type InvitationLifetime = InvitationLifetime;
	type WeightInfo = ();
}

pub use medchain_primitives::time::DAY;
/// The clock at the start of every test (ms).
pub const NOW: Moment = 1_000 * DAY;

thread_local! {
	static CLOCK: core::cell::Cell<Moment> = const { core::cell::Cell::new(NOW) };
}

/// The chain's clock in tests: [`NOW`] until [`set_now`] moves it.
pub struct MockTime;
impl frame::traits::Time for MockTime {
	type Moment = Moment;
	fn now() -> Moment {
		CLOCK.with(|c| c.get())
	}
}

pub fn set_now(now: Moment) {
	CLOCK.with(|c| c.set(now))
}

/// Organisation 0: a hospital administered by [`HOSPITAL_ADMIN`].
pub const HOSPITAL: u32 = 0;
/// Organisation 1: a lab administered by [`LAB_ADMIN`].
pub const LAB: u32 = 1;
pub const HOSPITAL_ADMIN: u64 = 10;
pub const LAB_ADMIN: u64 = 20;
/// A physician of the hospital.
pub const PHYSICIAN: u64 = 11;
/// A nurse of the hospital.
pub const NURSE: u64 = 12;
/// A technician of the lab.
pub const LAB_TECHNICIAN: u64 = 21;
/// An account the pallet knows nothing of.
pub const STRANGER: u64 = 99;

/// `admin` invites `who` as `role` and `who` accepts: the two steps of joining.
pub fn hire(admin: u64, who: u64, role: Role) -> frame::prelude::DispatchResult {
	let organisation = crate::AdminOf::<Test>::get(admin).expect("an admin");
	Providers::invite_practitioner(RuntimeOrigin::signed(admin), who, role)?;
	Providers::accept_invitation(RuntimeOrigin::signed(who), organisation)
}

pub fn license(n: u8) -> Hash32 {
	Hash32::repeat_byte(n)
}

pub fn new_test_ext() -> TestState {
	let storage = RuntimeGenesisConfig {
		system: Default::default(),
		providers: pallet_providers::GenesisConfig {
			organisations: vec![
				(HOSPITAL_ADMIN, OrganisationKind::Hospital, license(1)),
				(LAB_ADMIN, OrganisationKind::Lab, license(2)),
			],
			practitioners: vec![
				(PHYSICIAN, HOSPITAL, Role::Physician),
				(NURSE, HOSPITAL, Role::Nurse),
				(LAB_TECHNICIAN, LAB, Role::LabTechnician),
			],
		},
	}
	.build_storage()
	.expect("the mock's genesis is valid");
	let mut ext = TestState::new(storage);
	set_now(NOW);
	// Events are only recorded from block 1.
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Runs `test` in the small world, then checks the pallet's invariants.
pub fn with_world(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		Providers::do_try_state().expect("invariants hold after the test");
	});
}
