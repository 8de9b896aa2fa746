// Demo citizens of the simulated VNeID: 12-digit personal IDs (the first three digits: the province of birth
// registration, 001 = Hà Nội), as the national population database would return them.
export const ID_CLAIM = process.env.VNEID_ID_CLAIM || 'so_dinh_danh';

export const CITIZENS = [
  {
    id: '001090012345',
    name: 'Nguyễn Văn An',
    birthdate: '1990-05-14',
    gender: 'male',
    phone: '0912345678',
    address: 'Số 12 phố Hàng Bạc, Phường Hoàn Kiếm, Thành phố Hà Nội',
  },
  {
    id: '001185067890',
    name: 'Trần Thị Bình',
    birthdate: '1985-11-02',
    gender: 'female',
    phone: '0987654321',
    address: 'Số 5 phố Quán Sứ, Phường Cửa Nam, Thành phố Hà Nội',
  },
  {
    id: '036201004567',
    name: 'Lê Minh Châu',
    birthdate: '2001-03-27',
    gender: 'female',
    phone: '0978123456',
    address: 'Số 20 phố Đội Cấn, Phường Ba Đình, Thành phố Hà Nội',
  },
];

export function findCitizen(id) {
  return CITIZENS.find((c) => c.id === id);
}
